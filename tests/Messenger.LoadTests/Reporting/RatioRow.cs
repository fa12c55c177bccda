namespace Messenger.LoadTests.Reporting;

/// <summary>One messenger / relay comparison, for one figure (and one offered rate in a sweep).</summary>
public sealed record RatioRow(string Figure, double OfferedRate, double? Messenger, double? Relay, double? Ratio);
