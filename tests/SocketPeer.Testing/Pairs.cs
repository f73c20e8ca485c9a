namespace SocketPeer.Testing;

public static class Codes
{
    /// <summary>A fresh pair code, so tests sharing a server never meet.</summary>
    public static string New() => "t-" + Guid.NewGuid().ToString("N");
}

public static class Pairs
{
    /// <summary>Two connected clients paired on a fresh code, with the peer.found messages read.</summary>
    public static async Task<(TestClient A, TestClient B)> OpenAsync(SocketPeerServer server)
    {
        var code = Codes.New();
        var a = await server.ConnectAsync();
        var b = await server.ConnectAsync();
        await a.PairAsync(code);
        await b.PairAsync(code);
        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
        a.PairCode = b.PairCode = code;
        return (a, b);
    }

    /// <summary>Asserts a message goes each way between a pair.</summary>
    public static async Task AssertRelaysAsync(TestClient a, TestClient b)
    {
        var token = Guid.NewGuid().ToString("N");
        await a.SendAsync("data", "a→b " + token);
        Assert.Equal("a→b " + token, (await b.ExpectAsync("data")).GetProperty("data").GetString());
        await b.SendAsync("data", "b→a " + token);
        Assert.Equal("b→a " + token, (await a.ExpectAsync("data")).GetProperty("data").GetString());
    }
}
