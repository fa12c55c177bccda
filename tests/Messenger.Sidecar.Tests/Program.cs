using Messenger.Sidecar.Tests.Apps;

return args is ["tiny-app", ..] ? await TinyApp.RunAsync() : 0;
