using Messenger.Core.Domain;

namespace Messenger.Core.Services;

/// <summary>The conversation after the change, and the members it had before.</summary>
public sealed record MembershipOutcome(ConversationState State, bool Changed);
