using System.Collections.Immutable;

namespace SocketPeer.Actors.Sessions;

/// <summary>Where the client of a session stands. Before a connection attaches (<see cref="SessionPhase.Unattached"/>) it says nothing.</summary>
public abstract record ClientState
{
    /// <summary>How many notices (peer.found, peer.left, errors) are kept for an absent client; relays wait at the sender.</summary>
    public const int MaxKeptNotices = 16;

    /// <summary>A socket serves the session; the session ends with it.</summary>
    public sealed record Attached : ClientState
    {
        public static readonly Attached Instance = new();
        private Attached() { }
    }

    /// <summary>A socket serves the session, whose client opted into resume: the session outlives the socket.</summary>
    public sealed record Resumable : ClientState
    {
        public static readonly Resumable Instance = new();
        private Resumable() { }
    }

    /// <summary>
    /// A resumable session whose socket is gone, waiting (the grace period) for its client. What the
    /// client would have heard meanwhile is <paramref name="Kept"/> (at most <see cref="MaxKeptNotices"/>),
    /// and told right after <c>session</c> when it comes back.
    /// </summary>
    public sealed record Away(ImmutableList<IClientMessage> Kept) : ClientState
    {
        public static readonly Away Fresh = new(ImmutableList<IClientMessage>.Empty);
    }
}
