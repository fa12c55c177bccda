namespace Messenger.Core.Domain;

/// <summary>A page of history: the newest <see cref="Limit"/>, or just before / after a seq. Always ascending.</summary>
public sealed record HistoryQuery(long? AfterSeq, long? BeforeSeq, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static HistoryQuery Create(long? afterSeq, long? beforeSeq, int? limit) =>
        new(afterSeq, beforeSeq, Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit));
}
