using Messenger.Core.Domain;

namespace Messenger.Core.Protocol;

public sealed record MessageFrame(Message Message) : ServerFrame;
