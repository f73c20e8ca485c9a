namespace SocketPeer.Chaos.Client;

/// <summary>Which client a pair's two ends run: each kind has its own promises (docs/chaos.md).</summary>
public enum ClientKind
{
    /// <summary><see cref="ChaosPeer"/>: opts into resume, numbers, acknowledges and re-sends.</summary>
    Resume,
    /// <summary><see cref="OriginalPeer"/>: the 2015 browser client, which only pairs and re-pairs.</summary>
    Original,
}

/// <summary><c>--clients</c>: every pair resume, every pair original, or every other pair original.</summary>
public enum ClientMode
{
    Resume,
    Original,
    Mixed,
}

public static class ClientModes
{
    /// <summary>The kind of pair <paramref name="pair"/>; in <see cref="ClientMode.Mixed"/> the odd pairs are original.</summary>
    public static ClientKind KindOf(this ClientMode mode, int pair) => mode switch
    {
        ClientMode.Resume => ClientKind.Resume,
        ClientMode.Original => ClientKind.Original,
        ClientMode.Mixed => pair % 2 == 1 ? ClientKind.Original : ClientKind.Resume,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static string Name(this ClientMode mode) => mode.ToString().ToLowerInvariant();

    public static ClientMode Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "resume" => ClientMode.Resume,
        "original" => ClientMode.Original,
        "mixed" => ClientMode.Mixed,
        _ => throw new ArgumentException($"unknown client mode \"{name}\" (original, resume, mixed)"),
    };
}
