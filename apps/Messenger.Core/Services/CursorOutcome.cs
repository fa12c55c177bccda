using System.Collections.Immutable;
using Messenger.Core.Domain;

namespace Messenger.Core.Services;

public sealed record CursorOutcome(Cursor Cursor, bool Changed, ImmutableArray<string> MemberIds);
