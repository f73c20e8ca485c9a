using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>Where one peer session stands. Pair code and partner live in the phase that has them.</summary>
public abstract record SessionPhase
{
    /// <summary>Created by a stray message (no connection ever attached): clean up and stop.</summary>
    public sealed record Unattached : SessionPhase;

    /// <summary>Connected, in no room.</summary>
    public sealed record Idle : SessionPhase;

    /// <summary>Asked the room to join (join number <paramref name="Attempt"/>); no answer yet.</summary>
    public sealed record Joining(PairCode Code, long Attempt = 0) : SessionPhase;

    /// <summary>Alone in the room, waiting for a partner (the peer timeout runs).</summary>
    public sealed record Waiting(PairCode Code, long Attempt = 0) : SessionPhase;

    /// <summary>Paired: relay goes straight to the partner's session.</summary>
    public sealed record Paired(PairCode Code, SessionId Partner, long Attempt = 0) : SessionPhase;

    /// <summary>Whether a room's answer is about the join this phase is in (same code, same attempt).</summary>
    public bool IsAbout(PairCode code, long attempt) => this switch
    {
        Joining j => j.Code == code && j.Attempt == attempt,
        Waiting w => w.Code == code && w.Attempt == attempt,
        Paired p => p.Code == code && p.Attempt == attempt,
        _ => false,
    };

    /// <summary>The room this phase is in (or joining), if any.</summary>
    public PairCode? Room => this switch
    {
        Joining j => j.Code,
        Waiting w => w.Code,
        Paired p => p.Code,
        _ => null,
    };
}
