using System.Collections.Concurrent;

namespace SocketPeer.Chaos.Client;

/// <summary>What one client went through, summed over all clients for the report.</summary>
public sealed class PeerCounters
{
    public int Connects;
    public int ConnectFailures;
    public int PeerFound;
    public int PeerLeft;
    public int ResumeAttempts;
    public int Resumed;
    public int ResumeFailed;
    /// <summary>Resumes that got no answer (<c>resumed</c> or <c>resume-failed</c>) in time: the socket was dropped and the client tried again.</summary>
    public int ResumeUnanswered;
    /// <summary>The server answered the resume extension with <c>unknown-type</c>: it has no resume.</summary>
    public int ResumeUnsupported;
    /// <summary>Messages re-sent after <c>resumed</c> (the server had not taken them).</summary>
    public int Resent;
    /// <summary>Unacknowledged messages given up because the pairing started over (a fresh <c>peer.found</c>).</summary>
    public int Abandoned;
    /// <summary>Relayed messages whose protocol <c>seq</c> was not above the last one received.</summary>
    public int ProtocolDuplicates;
    public ConcurrentDictionary<string, int> ServerErrors { get; } = new();
    /// <summary>Messages an original client has no handler for (peer.left, server.error codes, session …), by type.</summary>
    public ConcurrentDictionary<string, int> Ignored { get; } = new();
    /// <summary>The <c>state</c> of each <c>resumed</c> (idle, waiting, paired).</summary>
    public ConcurrentDictionary<string, int> ResumedStates { get; } = new();
    /// <summary>How connections ended: a close code, "reset" (no close frame) or "keepalive-timeout".</summary>
    public ConcurrentDictionary<string, int> Closes { get; } = new();

    public void Add(PeerCounters other)
    {
        Connects += other.Connects;
        ConnectFailures += other.ConnectFailures;
        PeerFound += other.PeerFound;
        PeerLeft += other.PeerLeft;
        ResumeAttempts += other.ResumeAttempts;
        Resumed += other.Resumed;
        ResumeFailed += other.ResumeFailed;
        ResumeUnanswered += other.ResumeUnanswered;
        ResumeUnsupported += other.ResumeUnsupported;
        Resent += other.Resent;
        Abandoned += other.Abandoned;
        ProtocolDuplicates += other.ProtocolDuplicates;
        foreach (var (k, v) in other.ServerErrors) ServerErrors.AddOrUpdate(k, v, (_, old) => old + v);
        foreach (var (k, v) in other.Ignored) Ignored.AddOrUpdate(k, v, (_, old) => old + v);
        foreach (var (k, v) in other.ResumedStates) ResumedStates.AddOrUpdate(k, v, (_, old) => old + v);
        foreach (var (k, v) in other.Closes) Closes.AddOrUpdate(k, v, (_, old) => old + v);
    }
}
