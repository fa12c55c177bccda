using Messenger.Core.Domain;

namespace Messenger.Core.Tests;

public sealed class CursorTests
{
    [Fact]
    public void Advance_moves_both_cursors_forward()
    {
        var moved = new Cursor(1, 1).Advance(delivered: 4, read: 3, lastSeq: 10);

        Assert.Equal(new Cursor(4, 3), moved);
    }

    [Fact]
    public void Advance_never_moves_a_cursor_back()
    {
        var cursor = new Cursor(7, 5);

        var moved = cursor.Advance(delivered: 2, read: 1, lastSeq: 10);

        Assert.Equal(new Cursor(7, 5), moved);
    }

    [Fact]
    public void Advance_with_nothing_new_returns_the_same_instance()
    {
        var cursor = new Cursor(7, 5);

        Assert.Same(cursor, cursor.Advance(delivered: 7, read: 5, lastSeq: 10));
        Assert.Same(cursor, cursor.Advance(delivered: null, read: null, lastSeq: 10));
        Assert.Same(cursor, cursor.Advance(delivered: -3, read: -3, lastSeq: 10));
    }

    [Fact]
    public void Advance_read_implies_delivered()
    {
        var moved = Cursor.Zero.Advance(delivered: null, read: 6, lastSeq: 10);

        Assert.Equal(new Cursor(6, 6), moved);
    }

    [Fact]
    public void Advance_read_beyond_delivered_lifts_delivered_to_read()
    {
        var moved = new Cursor(2, 1).Advance(delivered: 3, read: 8, lastSeq: 10);

        Assert.Equal(new Cursor(8, 8), moved);
    }

    [Fact]
    public void Advance_delivered_does_not_move_read()
    {
        var moved = new Cursor(2, 1).Advance(delivered: 9, read: null, lastSeq: 10);

        Assert.Equal(new Cursor(9, 1), moved);
    }

    [Fact]
    public void Advance_clamps_to_last_seq()
    {
        var moved = Cursor.Zero.Advance(delivered: 1000, read: 500, lastSeq: 12);

        Assert.Equal(new Cursor(12, 12), moved);
    }

    [Fact]
    public void Advance_in_an_empty_conversation_stays_at_zero()
    {
        Assert.Same(Cursor.Zero, Cursor.Zero.Advance(delivered: 5, read: 5, lastSeq: 0));
    }
}
