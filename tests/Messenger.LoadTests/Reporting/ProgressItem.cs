namespace Messenger.LoadTests.Reporting;

/// <summary>One live progress line: a label, a current value and the value it runs up to.</summary>
public sealed record ProgressItem(string Label, Func<double> Value, Func<double> Max);
