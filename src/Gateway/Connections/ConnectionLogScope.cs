using System.Collections;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// The logging scope of one connection. It lives as long as the socket, so it is two fields rather
/// than the dictionary a scope usually is (432 B per socket for a two-entry dictionary).
/// </summary>
public sealed class ConnectionLogScope(string connectionId, string sessionId) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => 2;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new("ConnectionId", connectionId),
        1 => new("SessionId", sessionId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"ConnectionId:{connectionId} SessionId:{sessionId}";
}
