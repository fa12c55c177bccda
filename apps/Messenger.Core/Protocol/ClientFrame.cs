namespace Messenger.Core.Protocol;

/// <summary>A frame a client sends, after parsing and validation.</summary>
public abstract record ClientFrame;
