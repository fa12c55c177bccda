using System.Text.Json.Serialization;

namespace Messenger.Core.Protocol;

/// <summary>A frame the server sends to a client; <c>type</c> names it on the wire.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageFrame), "message")]
[JsonDerivedType(typeof(SentFrame), "sent")]
[JsonDerivedType(typeof(ReceiptFrame), "receipt")]
[JsonDerivedType(typeof(TypingFrame), "typing")]
[JsonDerivedType(typeof(PresenceFrame), "presence")]
[JsonDerivedType(typeof(ConversationFrame), "conversation")]
[JsonDerivedType(typeof(ConversationRemovedFrame), "conversationRemoved")]
[JsonDerivedType(typeof(ErrorFrame), "error")]
[JsonDerivedType(typeof(PongFrame), "pong")]
[JsonDerivedType(typeof(SyncedFrame), "synced")]
public abstract record ServerFrame;
