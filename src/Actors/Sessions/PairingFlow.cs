using System.Collections.Immutable;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// What relays and acks move in a pairing (<see cref="SessionPhase.Paired"/>): the sequence numbers
/// both ways and what the partner's client has not acknowledged. The pairing's, but held beside its
/// phase (<see cref="SessionState.Flow"/>) so that a relay copies these few numbers and not the whole
/// phase (docs/benchmarks.md, "The session machine's cost per relayed message"). Entering a phase
/// starts it afresh (<see cref="None"/>); outside a pairing it means nothing.
/// </summary>
public sealed record PairingFlow
{
    public static readonly PairingFlow None = new();

    /// <summary>The highest sequence number this pairing took from our client.</summary>
    public long OutSeq { get; init; }

    /// <summary>The highest sequence number from the partner delivered to our client.</summary>
    public long InSeq { get; init; }

    /// <summary>
    /// The highest sequence number from the partner our client acknowledged (or, resuming, said it
    /// has). <see cref="InSeq"/> counts what was handed to the connection, which a socket that died
    /// unnoticed never wrote: a partner that lost its copies (a rebuilt or successor session) must
    /// be told this, or its client would not re-send what our client never got.
    /// </summary>
    public long Acked { get; init; }

    /// <summary>Our relayed messages the partner's client has not acknowledged (resumable partners only).</summary>
    public ImmutableQueue<PartnerRelay> Unacked { get; init; } = [];

    public int UnackedCount { get; init; }

    /// <summary>Forgets what the partner's client has, up to <paramref name="through"/>.</summary>
    public PairingFlow Trimmed(long through)
    {
        var queue = Unacked;
        var count = UnackedCount;
        while (!queue.IsEmpty && queue.Peek().Seq <= through)
        {
            queue = queue.Dequeue();
            count--;
        }
        return count == UnackedCount ? this : this with { Unacked = queue, UnackedCount = count };
    }
}
