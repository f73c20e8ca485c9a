using System.Threading.Channels;
using Akka.Actor;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>
/// A stand-in for the session region: records what it is told, and acknowledges it like a session
/// (<see cref="SessionAck"/> to the sender) unless it plays one that stopped answering; or throws.
/// </summary>
internal sealed class RecordingRef(string name, bool acknowledges = true, bool throws = false) : MinimalActorRef
{
    private readonly Channel<object> _told = Channel.CreateUnbounded<object>();

    public override ActorPath Path { get; } = new RootActorPath(Address.AllSystems) / name;

    public override IActorRefProvider Provider => throw new NotSupportedException();

    public ChannelReader<object> Told => _told.Reader;

    /// <summary>The next <paramref name="count"/> messages told, waiting at most 10 s for them.</summary>
    public async Task<List<object>> NextAsync(int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var messages = new List<object>(count);
        while (messages.Count < count)
            messages.Add(await _told.Reader.ReadAsync(cancel.Token));
        return messages;
    }

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (throws) throw new InvalidOperationException($"{name} refuses {message}");
        _told.Writer.TryWrite(message);
        if (acknowledges && sender is not null && !sender.IsNobody()) sender.Tell(SessionAck.Instance);
    }
}
