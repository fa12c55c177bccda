namespace Messenger.Media;

public enum MediaKind
{
    Image,
    Video,
}
