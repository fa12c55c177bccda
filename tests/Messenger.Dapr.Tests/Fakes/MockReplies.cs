using System.Reflection;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>Replies for generic DaprClient methods whose type argument a test cannot name.</summary>
internal static class MockReplies
{
    private static readonly MethodInfo FromResult = typeof(Task).GetMethod(nameof(Task.FromResult))!;

    /// <summary>What GetStateAndETagAsync answers for a key that holds nothing: no value, no ETag.</summary>
    public static object NothingStored(Type valueType)
    {
        var tuple = typeof(ValueTuple<,>).MakeGenericType(valueType, typeof(string));
        return FromResult.MakeGenericMethod(tuple).Invoke(null, [Activator.CreateInstance(tuple, null, string.Empty)])!;
    }
}
