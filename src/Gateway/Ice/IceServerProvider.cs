using System.Text.Json;
using Microsoft.Extensions.Options;
using SocketPeer.Gateway.Limits;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Ice;

/// <summary>One entry of an <c>RTCConfiguration.iceServers</c> list.</summary>
public sealed record IceServer(string[] Urls, string? Username = null, string? Credential = null);

/// <summary>The list for one client, and when its TURN credential expires (null: nothing expires).</summary>
public sealed record IceServerList(IReadOnlyList<IceServer> Servers, DateTimeOffset? ExpiresAt)
{
    /// <summary>Writes <c>"iceServers": [...]</c> (and <c>"iceServersExpireAt"</c>, unix seconds) into an open object.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("iceServers");
        foreach (var server in Servers)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("urls");
            foreach (var url in server.Urls) writer.WriteStringValue(url);
            writer.WriteEndArray();
            if (server.Username is not null) writer.WriteString("username", server.Username);
            if (server.Credential is not null) writer.WriteString("credential", server.Credential);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (ExpiresAt is { } expires) writer.WriteNumber("iceServersExpireAt", expires.ToUnixTimeSeconds());
    }
}

/// <summary>Builds each client's ICE server list from <c>SocketPeer:Ice</c>, minting TURN credentials.</summary>
public sealed class IceServerProvider(IOptions<SocketPeerOptions> options, TimeProvider time)
{
    private readonly IceOptions _ice = options.Value.Ice;

    /// <summary>Whether lists carry a TURN server (and so a credential minted per list).</summary>
    public bool MintsCredentials => _ice.TurnUrls.Length > 0 && _ice.TurnSecret is not null;

    /// <param name="id">Names the client in the TURN username (its session id), for the TURN server's logs.</param>
    /// <param name="budget">the client address's limits: past its credential rate (<c>Ice:CredentialsPerMinute</c>)
    /// the list has no TURN server (null: no limit).</param>
    public IceServerList For(string id, ClientBudget? budget = null)
    {
        var servers = new List<IceServer>(2);
        if (_ice.StunUrls.Length > 0)
            servers.Add(new IceServer(_ice.StunUrls));
        if (!MintsCredentials || budget?.TryMintTurnCredential() == false)
            return new IceServerList(servers, null);

        var expiresAt = time.GetUtcNow() + _ice.CredentialLifetime;
        var credential = TurnCredentials.Create(_ice.TurnSecret!, id, expiresAt);
        servers.Add(new IceServer(_ice.TurnUrls, credential.Username, credential.Credential));
        return new IceServerList(servers, expiresAt);
    }
}
