using System.Diagnostics;
using Akka.Actor;

namespace SocketPeer.Actors.Diagnostics;

/// <summary>
/// The <c>SocketPeer</c> activity source: one trace per pairing, per resume or succession, and per
/// recovery after a node loss, carried between nodes inside the actor messages
/// (<see cref="TraceContext"/>). Spans are started only on the paths named here, never per relayed
/// message; with no listener (the OTLP exporter off) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and nothing is allocated (docs/operations.md, "Tracing").
/// </summary>
public static class SocketPeerTracing
{
    public const string SourceName = "SocketPeer";

    public static readonly ActivitySource Source = new(SourceName);

    // Span names: what happened, where.

    /// <summary>
    /// Gateway: a WebSocket accepted. It ends at once (a span held for a socket's life would cost
    /// memory per idle socket and reach the exporter only at the close); its context is kept with the
    /// socket, the parent of its <c>pair</c> spans and the link of its resumes.
    /// </summary>
    public const string Connection = "socketpeer.connection";

    /// <summary>Gateway: the client sent <c>pair</c> (admitted: limits and join token passed).</summary>
    public const string Pair = "socketpeer.pair";

    /// <summary>Session: it asks the room of its code for a seat.</summary>
    public const string SessionJoin = "socketpeer.session.join";

    /// <summary>Room: two sessions paired. The root of the pairing's trace, linked to each join.</summary>
    public const string RoomPair = "socketpeer.room.pair";

    /// <summary>Session: the room's <c>PeerFound</c> arrived; the client is told <c>peer.found</c>.</summary>
    public const string SessionPeerFound = "socketpeer.session.peer-found";

    /// <summary>Gateway: a socket's <c>resume</c> asks its session to take the socket back. The root of a resume's trace.</summary>
    public const string Resume = "socketpeer.resume";

    /// <summary>Gateway: the socket's own session succeeds the claimed one (its node is lost). The root of a succession's trace.</summary>
    public const string Succession = "socketpeer.succession";

    /// <summary>Session: a resume (or a succession) reached the session.</summary>
    public const string SessionResume = "socketpeer.session.resume";

    /// <summary>Session: its partner was taken back by its client (or succeeded), and asks for a replay.</summary>
    public const string SessionPartnerResumed = "socketpeer.session.partner-resumed";

    /// <summary>Session: its room or its partner was lost with a node; the root of the recovery's trace.</summary>
    public const string Recovery = "socketpeer.recovery";

    // Attributes.

    /// <summary>The cluster address of the node that recorded the span.</summary>
    public const string NodeTag = "socketpeer.node";
    public const string SessionTag = "socketpeer.session";
    public const string PartnerTag = "socketpeer.partner";
    public const string InitiatorTag = "socketpeer.initiator";
    public const string ResumedTag = "socketpeer.resumed";
    public const string OutcomeTag = "socketpeer.outcome";
    public const string LostTag = "socketpeer.lost";

    /// <summary>
    /// A span that starts a trace of its own, whatever span is current (ASP.NET Core's request, say),
    /// linked to <paramref name="links"/> if any. Null when nothing listens.
    /// </summary>
    public static Activity? StartRoot(string name, ActivityKind kind, ActorSystem node, IEnumerable<ActivityLink>? links = null)
    {
        if (!Source.HasListeners()) return null;
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            return Tagged(Source.StartActivity(name, kind, default(ActivityContext), links: links), node);
        }
        finally
        {
            Activity.Current = current;
        }
    }

    /// <summary>A span under <paramref name="parent"/> (from another node); a root when there is none. Null when nothing listens.</summary>
    public static Activity? StartChild(string name, ActivityKind kind, ActorSystem node, TraceContext? parent)
    {
        if (!Source.HasListeners()) return null;
        if (parent is null || !parent.TryParse(out var context)) return StartRoot(name, kind, node);
        return Tagged(Source.StartActivity(name, kind, context), node);
    }

    /// <summary>A span under <paramref name="parent"/> (the gateway's socket span); a root when it is none. Null when nothing listens.</summary>
    public static Activity? StartChild(string name, ActivityKind kind, ActorSystem node, ActivityContext parent)
    {
        if (!Source.HasListeners()) return null;
        if (parent == default) return StartRoot(name, kind, node);
        return Tagged(Source.StartActivity(name, kind, parent), node);
    }

    private static Activity? Tagged(Activity? activity, ActorSystem node)
    {
        if (activity is { IsAllDataRequested: true })
            activity.SetTag(NodeTag, ((ExtendedActorSystem)node).Provider.DefaultAddress.ToString());
        return activity;
    }
}
