extern alias GatewayHost;
extern alias MediaHost;
extern alias MessagesHost;
extern alias PushHost;

global using GatewayProgram = GatewayHost::Program;
global using MediaProgram = MediaHost::Program;
global using MessagesProgram = MessagesHost::Program;
global using PushProgram = PushHost::Program;
