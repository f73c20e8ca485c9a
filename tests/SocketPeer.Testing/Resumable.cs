using System.Text.Json;

namespace SocketPeer.Testing;

/// <summary>Helpers for clients that use the resume extension (docs/protocol.md, Resume).</summary>
public static class Resumable
{
    public const string OptIn = """{"type":"session","data":{"resume":true}}""";

    /// <summary>
    /// Two clients that opted into resume, paired (A waits, B initiates), on the given servers (which
    /// may be different nodes), with nothing left to read; and their latest tokens.
    /// </summary>
    public static async Task<ResumablePair> PairAsync(SocketPeerServer serverA, SocketPeerServer? serverB = null)
    {
        var code = Codes.New();
        var a = await serverA.ConnectAsync();
        var b = await (serverB ?? serverA).ConnectAsync();
        await a.SendTextAsync(OptIn);
        await b.SendTextAsync(OptIn);
        await b.ExpectAsync("session.token");
        await a.ExpectAsync("session.token");
        await a.PairAsync(code);
        await a.ExpectAsync("session.token"); // its join is on its way: a is the one who waits
        await b.PairAsync(code);
        var tokenA = await TokenAfterAsync(a, "peer.found");
        var tokenB = await TokenAfterAsync(b, "peer.found");
        a.PairCode = b.PairCode = code;
        return new ResumablePair(a, b, tokenA, tokenB);
    }

    public static string Resume(string token, long seq) =>
        JsonSerializer.Serialize(new { type = "resume", data = new { token, seq } });

    /// <summary>The next message that is not a <c>session.token</c>, which must have <paramref name="type"/>.</summary>
    public static async Task<JsonElement> ExpectSkippingTokensAsync(this TestClient client, string type)
    {
        JsonElement message;
        do message = await client.NextAsync();
        while (message.GetProperty("type").GetString() == "session.token");
        Assert.Equal(type, message.GetProperty("type").GetString());
        return message;
    }

    /// <summary>
    /// Reads up to <c>resumed</c>: first the resumed session's <c>session</c>, or, when this socket's
    /// own session succeeded it (docs/failover.md, "Successor sessions"), only tokens.
    /// </summary>
    public static async Task<JsonElement> ExpectResumedAsync(this TestClient client)
    {
        JsonElement message;
        do message = await client.NextAsync();
        while (message.GetProperty("type").GetString() is "session" or "session.token");
        Assert.Equal("resumed", message.GetProperty("type").GetString());
        return message;
    }

    /// <summary>Reads up to <paramref name="type"/>, then returns the token that follows it.</summary>
    private static async Task<string> TokenAfterAsync(TestClient client, string type)
    {
        while ((await client.NextAsync()).GetProperty("type").GetString() != type) { }
        return (await client.ExpectAsync("session.token")).GetProperty("data").GetProperty("token").GetString()!;
    }
}

public sealed record ResumablePair(TestClient A, TestClient B, string TokenA, string TokenB)
{
    public void Deconstruct(out TestClient a, out TestClient b) => (a, b) = (A, B);
}
