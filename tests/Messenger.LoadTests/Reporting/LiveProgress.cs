using Spectre.Console;

namespace Messenger.LoadTests.Reporting;

/// <summary>Spectre.Console progress bars while a step runs; plain status lines when the console is not a terminal.</summary>
public static class LiveProgress
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PlainRefresh = TimeSpan.FromSeconds(5);

    public static async Task<T> RunAsync<T>(string title, IReadOnlyList<ProgressItem> items, Func<Task<T>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await RunPlainAsync(title, items, work);
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ValueColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = items.Select(i => context.AddTask($"{Markup.Escape(title)}: {Markup.Escape(i.Label)}", maxValue: Math.Max(1, i.Max()))).ToArray();
                var running = work();
                while (!running.IsCompleted)
                {
                    Update(items, tasks);
                    await Task.WhenAny(running, Task.Delay(Refresh));
                }

                Update(items, tasks);
                foreach (var task in tasks)
                {
                    task.StopTask();
                }

                return await running;
            });
    }

    private static void Update(IReadOnlyList<ProgressItem> items, ProgressTask[] tasks)
    {
        for (var i = 0; i < items.Count; i++)
        {
            tasks[i].MaxValue = Math.Max(1, items[i].Max());
            tasks[i].Value = Math.Min(items[i].Value(), tasks[i].MaxValue);
        }
    }

    private static async Task<T> RunPlainAsync<T>(string title, IReadOnlyList<ProgressItem> items, Func<Task<T>> work)
    {
        var running = work();
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(PlainRefresh));
            AnsiConsole.WriteLine($"{title}: " + string.Join(", ", items.Select(i => $"{i.Label} {i.Value():0}/{i.Max():0}")));
        }

        return await running;
    }

    /// <summary>Shows the current value next to the bar.</summary>
    private sealed class ValueColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Value:0}/{task.MaxValue:0}");
    }
}
