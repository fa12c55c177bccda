namespace Messenger.Dapr.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Waits for a condition that another thread brings about; fails after the test timeout.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestSettings.Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
