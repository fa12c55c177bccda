namespace Messenger.Push;

/// <summary>What <see cref="CollapseWindows{TKey, TPush}.Offer"/> decided for one push.</summary>
internal enum CollapseDecision
{
    /// <summary>Send it now (no window was open, or collapsing is off).</summary>
    SendNow,

    /// <summary>Held until the slot's window ends, replacing any push held before.</summary>
    Held,

    /// <summary>Its seq is not above the highest one of its slot: a redelivery or an older message; drop it.</summary>
    Duplicate,
}
