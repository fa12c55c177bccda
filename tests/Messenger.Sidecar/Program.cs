using Messenger.Sidecar.Runner;

return await SidecarCommand.RunAsync(args);
