using System.Net;

namespace SocketPeer.Bench.Client;

/// <summary>
/// How one protocol family connects, pairs and shapes measured messages. Everything else in a
/// scenario (scheduling, stamps, counting) is shared, so every server is driven by the same client.
/// </summary>
public abstract class Wire
{
    protected static readonly TimeSpan PairTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Connects both sockets of pair <paramref name="index"/> and returns once each knows its partner.</summary>
    public abstract Task<PeerPair> ConnectPairAsync(IPEndPoint server, string tag, int index, CancellationToken cancel);

    /// <summary>A relayed application message of <paramref name="size"/> bytes (at least the stamp's).</summary>
    public abstract MessageTemplate Data(PeerPair pair, bool fromA, int size);

    public abstract MessageTemplate Signal(PeerPair pair, bool fromA, SignalKind kind);

    /// <summary>Why relay results of this protocol need a caveat, or null.</summary>
    public virtual string? RelayCaveat => null;

    protected static string Pad(int bytes) => new('x', Math.Max(0, bytes));

    /// <summary>The stamp's kind letter: o(ffer), a(nswer), c(andidate); relayed data is d.</summary>
    protected static char KindLetter(SignalKind kind) => kind switch
    {
        SignalKind.Offer => 'o',
        SignalKind.Answer => 'a',
        _ => 'c',
    };

    protected static Task<(WsConnection A, WsConnection B)> ConnectBothAsync(
        IPEndPoint server, string pathA, string pathB, CancellationToken cancel) =>
        ConnectBothAsync(server, server, pathA, pathB, cancel);

    protected static async Task<(WsConnection A, WsConnection B)> ConnectBothAsync(
        IPEndPoint serverA, IPEndPoint serverB, string pathA, string pathB, CancellationToken cancel, IPAddress? source = null)
    {
        var a = WsConnection.ConnectAsync(serverA, pathA, cancel, source);
        var b = WsConnection.ConnectAsync(serverB, pathB, cancel, source);
        try
        {
            await Task.WhenAll(a, b);
        }
        catch
        {
            if (a.IsCompletedSuccessfully) await a.Result.DisposeAsync();
            if (b.IsCompletedSuccessfully) await b.Result.DisposeAsync();
            throw;
        }
        return (a.Result, b.Result);
    }
}

/// <summary>
/// SocketPeer's protocol (and the raw relay's, which speaks the same): <c>pair</c> with a shared
/// code, <c>peer.found</c> to both, then <c>data</c> and <c>rtc.signal</c> relayed to the partner.
/// </summary>
/// <param name="partnerServer">Where B connects, when not to the same server as A (another node of a cluster).</param>
/// <param name="nodes">
/// The nodes of a cluster to spread pairs over instead: pair <c>i</c> has A on node <c>i mod n</c> and B on
/// the next, so every pair crosses nodes and every node holds as many sockets as the others.
/// </param>
/// <param name="source">The loopback address both sockets connect from (the scale scenario's workers), or null.</param>
public sealed class SocketPeerWire(string socketPath, IPEndPoint? partnerServer = null, IReadOnlyList<IPEndPoint>? nodes = null,
    IPAddress? source = null) : Wire
{
    public override async Task<PeerPair> ConnectPairAsync(IPEndPoint server, string tag, int index, CancellationToken cancel)
    {
        var code = $"{tag}-{index}";
        var (serverA, serverB) = nodes is { Count: > 1 }
            ? (nodes[index % nodes.Count], nodes[(index + 1) % nodes.Count])
            : (server, partnerServer ?? server);
        var (a, b) = await ConnectBothAsync(serverA, serverB, socketPath, socketPath, cancel, source);
        try
        {
            var pair = System.Text.Encoding.UTF8.GetBytes($$"""{"type":"pair","data":"{{code}}"}""");
            await a.SendAsync(pair);
            await b.SendAsync(pair);
            var aInitiator = false;
            var foundA = a.ReceiveUntilAsync(c =>
            {
                if (!c.Frame.StartsWith("""{"type":"peer.found","""u8)) return false;
                aInitiator = c.Frame.IndexOf("\"initiator\":true"u8) >= 0;
                return true;
            }, PairTimeout);
            var foundB = b.ReceiveUntilAsync(c => c.Frame.StartsWith("""{"type":"peer.found","""u8), PairTimeout);
            if (!await foundA || !await foundB)
                throw new BenchException($"pair {code}: no peer.found within {PairTimeout.TotalSeconds:0} s (close {a.CloseStatus}/{b.CloseStatus})");
            return new PeerPair(index, a, b, code, code, aInitiator);
        }
        catch
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            throw;
        }
    }

    public override MessageTemplate Data(PeerPair pair, bool fromA, int size)
    {
        var bare = "{\"type\":\"data\",\"data\":{" + Stamp.Placeholder('d') + ",\"p\":\"\"}}";
        return new MessageTemplate(bare.Insert(bare.Length - 3, Pad(size - bare.Length)));
    }

    public override MessageTemplate Signal(PeerPair pair, bool fromA, SignalKind kind) => new(
        "{\"type\":\"rtc.signal\",\"data\":{" + Stamp.Placeholder(KindLetter(kind)) + "," + kind switch
        {
            SignalKind.Offer => $"\"type\":\"offer\",\"sdp\":\"{SampleSignals.OfferSdp}\"",
            SignalKind.Answer => $"\"type\":\"answer\",\"sdp\":\"{SampleSignals.AnswerSdp}\"",
            _ => $"\"candidate\":\"{SampleSignals.Candidate}\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0",
        } + "}}");
}

/// <summary>
/// The PeerJS server's protocol: each socket connects with its own id
/// (<c>/peerjs?key=peerjs&amp;id=X&amp;token=T</c>), hears <c>OPEN</c>, and sends
/// <c>{"type":"OFFER"|"ANSWER"|"CANDIDATE","dst":id,"payload":…}</c>, which the server forwards to
/// <c>dst</c> with <c>src</c> added. There are no rooms: a "pairing" here is both sockets open and the
/// first OFFER delivered, which is how a PeerJS client first hears of its peer.
/// </summary>
public sealed class PeerJsWire : Wire
{
    public override string RelayCaveat =>
        "PeerJS has no relay: data rides in CANDIDATE messages, which its server forwards like any signal";

    public override async Task<PeerPair> ConnectPairAsync(IPEndPoint server, string tag, int index, CancellationToken cancel)
    {
        var idA = $"{tag}-{index}-a";
        var idB = $"{tag}-{index}-b";
        var (a, b) = await ConnectBothAsync(server, PathFor(idA), PathFor(idB), cancel);
        try
        {
            static bool IsOpen(WsConnection c) => c.Frame.StartsWith("""{"type":"OPEN"""u8);
            var openA = a.ReceiveUntilAsync(IsOpen, PairTimeout);
            var openB = b.ReceiveUntilAsync(IsOpen, PairTimeout);
            if (!await openA || !await openB) throw new BenchException($"peerjs {idA}/{idB}: no OPEN");
            await a.SendAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"OFFER\",\"dst\":\"{idB}\",\"payload\":{{\"hello\":true}}}}"));
            if (!await b.ReceiveUntilAsync(c => c.Frame.StartsWith("""{"type":"OFFER"""u8), PairTimeout))
                throw new BenchException($"peerjs {idB}: the first OFFER never arrived");
            return new PeerPair(index, a, b, idA, idB, aIsInitiator: true);
        }
        catch
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            throw;
        }
    }

    public override MessageTemplate Data(PeerPair pair, bool fromA, int size)
    {
        var bare = $"{{\"type\":\"CANDIDATE\",\"dst\":\"{Dst(pair, fromA)}\",\"payload\":{{" + Stamp.Placeholder('d') + ",\"p\":\"\"}}";
        return new MessageTemplate(bare.Insert(bare.Length - 3, Pad(size - bare.Length)));
    }

    /// <summary>Shaped like the PeerJS client's own messages for a data connection.</summary>
    public override MessageTemplate Signal(PeerPair pair, bool fromA, SignalKind kind)
    {
        const string connection = "\"type\":\"data\",\"connectionId\":\"dc_bench0000001\"";
        var (type, body) = kind switch
        {
            SignalKind.Offer => ("OFFER", $"\"sdp\":{{\"type\":\"offer\",\"sdp\":\"{SampleSignals.OfferSdp}\"}},{connection}," +
                                          "\"label\":\"dc_bench0000001\",\"serialization\":\"binary\",\"reliable\":true"),
            SignalKind.Answer => ("ANSWER", $"\"sdp\":{{\"type\":\"answer\",\"sdp\":\"{SampleSignals.AnswerSdp}\"}},{connection}"),
            _ => ("CANDIDATE", $"\"candidate\":{{\"candidate\":\"{SampleSignals.Candidate}\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}},{connection}"),
        };
        return new MessageTemplate($"{{\"type\":\"{type}\",\"dst\":\"{Dst(pair, fromA)}\",\"payload\":{{" +
                                   Stamp.Placeholder(KindLetter(kind)) + "," + body + "}}");
    }

    private static string Dst(PeerPair pair, bool fromA) => fromA ? pair.IdB : pair.IdA;

    private static string PathFor(string id) => $"/peerjs?key=peerjs&id={id}&token={id.GetHashCode() & 0x7fffffff:x8}";
}
