using Akka.Actor;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// Which session one socket serves, and how its messages reach that session. The socket's own
/// session (<see cref="Own"/>) serves it from the start; a <c>resume</c> makes it serve the session
/// taken back, and a successor makes it serve its own again (<see cref="Serve"/>). The one place that
/// knows this: the inbound side reads it to decode and route, the outbound side tells it what the
/// sessions said about themselves, and resume (<see cref="ResumeCoordinator"/>) changes it.
/// </summary>
/// <remarks>
/// Routing: through the shard region until the serving entity has said where it is
/// (<see cref="SessionLocation"/>), then straight to it, two mailboxes fewer per message (region,
/// shard). The two paths are each in order but not with each other, so the switch waits until
/// nothing is in flight through the region; and it is made again whenever the socket changes session.
/// </remarks>
public sealed class ConnectionSession(SessionId own, IActorRef region)
{
    // Written by resume (the inbound loop, or the task waiting for a resume's answer), read by the
    // inbound loop: a string, so that it can be volatile (the id is a struct around one).
    private volatile string _serving = own.Value;
    private volatile SessionLocation? _located;
    private SessionId? _direct;

    /// <summary>
    /// What was announced or declined, and who waits for what: null until the first. Most sockets only
    /// ever have their own session announced, which nobody waits for, so an event that came before any
    /// wait is kept as a flag, not a completed task (memory per idle socket, docs/benchmarks.md). Locked
    /// on this object, which nothing else locks on.
    /// </summary>
    private List<Awaitable>? _awaitables;

    /// <summary>The socket's own session, started for it when it connected.</summary>
    public SessionId Own { get; } = own;

    /// <summary>The socket's own span, when it was sampled: the parent of its <c>pair</c> spans, the link of its resumes.</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>The session this socket's messages are for now.</summary>
    public SessionId Serving => new(_serving);

    /// <summary>The session shard region: the way to any session, wherever it lives.</summary>
    public IActorRef Region => region;

    /// <summary>From now on the socket's messages are for <paramref name="session"/>.</summary>
    public void Serve(SessionId session) => _serving = session.Value;

    /// <summary>The entity serving <see cref="SessionLocation.Id"/> said where it is.</summary>
    public void Located(SessionLocation location) => _located = location;

    /// <summary>Where to tell the next message for <paramref name="session"/> (the ingress lane only, in the socket's order).</summary>
    /// <param name="session">the session the message was decoded for.</param>
    /// <param name="nothingInFlight">every message told so far has been acknowledged.</param>
    public IActorRef RouteFor(SessionId session, bool nothingInFlight)
    {
        if (_direct != session) _direct = null;
        if (_located is not { } located || located.Id != session) return region;
        if (_direct is null)
        {
            if (!nothingInFlight) return region;
            _direct = session;
        }
        return located.Session;
    }

    /// <summary>
    /// Completes once a <c>session</c> message for <paramref name="session"/> has been written to the
    /// client (a socket's own session announces itself first; a resumed session answers with one), or
    /// the session refused this socket's resume (<see cref="Answered"/>).
    /// </summary>
    public Task Announced(SessionId session) => Awaited(session, leaving: false);

    /// <summary>A <c>session</c> message for <paramref name="session"/> was written.</summary>
    public void Announce(SessionId session) => Complete(session, leaving: false);

    /// <summary><paramref name="session"/> answered this socket's resume with a refusal: nothing is awaited of it any more.</summary>
    public void Answered(SessionId session) => Complete(session, leaving: false);

    /// <summary>Completes if <paramref name="session"/> declines this socket's resume because its node is leaving.</summary>
    public Task Leaving(SessionId session) => Awaited(session, leaving: true);

    /// <summary><paramref name="session"/> declined this socket's resume: its node is leaving.</summary>
    public void Left(SessionId session) => Complete(session, leaving: true);

    private Task Awaited(SessionId session, bool leaving)
    {
        lock (this)
        {
            var at = IndexOf(session, leaving);
            if (at < 0)
            {
                var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _awaitables!.Add(new Awaitable(session, leaving) { Waiter = waiter });
                return waiter.Task;
            }
            var entry = _awaitables![at];
            if (entry.Done) return Task.CompletedTask;
            if (entry.Waiter is null)
                _awaitables[at] = entry with { Waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
            return _awaitables[at].Waiter!.Task;
        }
    }

    private void Complete(SessionId session, bool leaving)
    {
        TaskCompletionSource? waiter;
        lock (this)
        {
            var at = IndexOf(session, leaving);
            if (at < 0)
            {
                _awaitables!.Add(new Awaitable(session, leaving) { Done = true });
                return;
            }
            waiter = _awaitables![at].Waiter;
            _awaitables[at] = _awaitables[at] with { Done = true };
        }
        waiter?.TrySetResult();
    }

    /// <summary>
    /// Where the entry of <paramref name="session"/> is, or -1 (the list exists after this). A socket sees
    /// one or two sessions in its life: a list, searched, is the smallest map.
    /// </summary>
    private int IndexOf(SessionId session, bool leaving)
    {
        _awaitables ??= new List<Awaitable>(1);
        for (var i = 0; i < _awaitables.Count; i++)
            if (_awaitables[i].Id == session && _awaitables[i].Leaving == leaving) return i;
        return -1;
    }

    /// <summary>One session's announcement (or its node's leaving): whether it came, and who waits for it.</summary>
    private readonly record struct Awaitable(SessionId Id, bool Leaving)
    {
        public bool Done { get; init; }
        public TaskCompletionSource? Waiter { get; init; }
    }
}
