using Messenger.Core.Domain;

namespace Messenger.Core.Tests;

public sealed class HistoryQueryTests
{
    [Fact]
    public void Create_without_a_limit_uses_50()
    {
        Assert.Equal(50, HistoryQuery.Create(null, null, null).Limit);
    }

    [Theory]
    [InlineData(201, 200)]
    [InlineData(int.MaxValue, 200)]
    [InlineData(200, 200)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    public void Create_clamps_the_limit_to_1_through_200(int requested, int expected)
    {
        Assert.Equal(expected, HistoryQuery.Create(null, null, requested).Limit);
    }

    [Fact]
    public void Create_keeps_the_cursors()
    {
        var query = HistoryQuery.Create(3, 9, 10);

        Assert.Equal(3, query.AfterSeq);
        Assert.Equal(9, query.BeforeSeq);
    }
}
