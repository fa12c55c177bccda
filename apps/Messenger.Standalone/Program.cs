using Messenger.Standalone;

StandaloneApp.Build(args).Run();
