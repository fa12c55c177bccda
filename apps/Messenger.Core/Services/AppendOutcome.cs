using System.Collections.Immutable;
using Messenger.Core.Domain;

namespace Messenger.Core.Services;

/// <summary>The stored message; <see cref="Duplicate"/> when the clientMessageId had been stored before.</summary>
public sealed record AppendOutcome(Message Message, bool Duplicate, ImmutableArray<string> MemberIds);
