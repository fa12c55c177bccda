namespace Messenger.Core.Services;

/// <summary><paramref name="BlockerId"/> starts (<paramref name="Blocks"/> true) or stops blocking the other member of a direct conversation.</summary>
public sealed record BlockChange(string BlockerId, bool Blocks);
