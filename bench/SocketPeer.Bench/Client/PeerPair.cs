namespace SocketPeer.Bench.Client;

/// <summary>Two connected sockets that know each other. <see cref="AIsInitiator"/>: A makes the offer.</summary>
public sealed class PeerPair(int index, WsConnection a, WsConnection b, string idA, string idB, bool aIsInitiator) : IAsyncDisposable
{
    public int Index { get; } = index;
    public WsConnection A { get; } = a;
    public WsConnection B { get; } = b;
    /// <summary>Addresses on the wire (PeerJS ids; the pair code twice for SocketPeer).</summary>
    public string IdA { get; } = idA;
    public string IdB { get; } = idB;
    public bool AIsInitiator { get; } = aIsInitiator;

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

public enum SignalKind { Offer, Answer, Candidate }
