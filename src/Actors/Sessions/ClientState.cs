namespace SocketPeer.Actors.Sessions;

/// <summary>Where the client of a session stands. Before a connection attaches (<see cref="SessionPhase.Unattached"/>) it says nothing.</summary>
public enum ClientState
{
    /// <summary>A socket serves the session; the session ends with it.</summary>
    Attached,

    /// <summary>A socket serves the session, whose client opted into resume: the session outlives the socket.</summary>
    Resumable,

    /// <summary>A resumable session whose socket is gone, waiting (the grace period) for its client.</summary>
    Away,
}
