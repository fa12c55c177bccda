using Messenger.Core.Domain;
using Messenger.Core.Ports;

namespace Messenger.Core.Services;

/// <summary>
/// A page of history without the seqs one user hid: pages are read on past the hidden ones until the page is full
/// or history ends, so a short page still means the end (as sync relies on).
/// </summary>
internal static class HistoryWithout
{
    public static async Task<IReadOnlyList<Message>> ReadAsync(
        IMessageStore messages, string conversationId, HistoryQuery query, IReadOnlySet<long> hidden, CancellationToken cancellationToken)
    {
        var kept = new List<Message>(query.Limit);
        var next = query;
        while (kept.Count < query.Limit)
        {
            var page = await messages.GetMessagesAsync(conversationId, next, cancellationToken);
            var visible = page.Where(m => !hidden.Contains(m.Seq));
            if (query.AfterSeq is not null)
            {
                kept.AddRange(visible);
            }
            else
            {
                kept.InsertRange(0, visible);
            }

            if (page.Count < next.Limit)
            {
                break;
            }

            next = query.AfterSeq is not null ? next with { AfterSeq = page[^1].Seq } : next with { BeforeSeq = page[0].Seq };
        }

        if (kept.Count <= query.Limit)
        {
            return kept;
        }

        return query.AfterSeq is not null ? kept[..query.Limit] : kept[^query.Limit..];
    }
}
