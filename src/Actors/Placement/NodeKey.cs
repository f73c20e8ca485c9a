using System.Security.Cryptography;
using System.Text;
using Akka.Actor;

namespace SocketPeer.Actors.Placement;

/// <summary>
/// A short name for one incarnation of a cluster node, the prefix of the session ids it makes
/// (docs/architecture.md section 6). Derived from the node's unique address (host, port and the incarnation's
/// uid), so every node computes the same key for it, and a pod restarted under the same DNS name gets
/// a new key: sessions of the old incarnation never claim the new one's shards. 30 bits: two nodes of
/// one cluster sharing a key is a one-in-millions event that costs placement, never correctness.
/// </summary>
public readonly record struct NodeKey(string Value)
{
    /// <summary>Characters of a key: six base32 characters (30 bits).</summary>
    public const int Length = 6;

    /// <summary>Keys already computed: looked up on every join to a room of one, so not hashed each time.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Akka.Cluster.UniqueAddress, NodeKey> Known = new();

    public static NodeKey Of(Akka.Cluster.UniqueAddress node) => Known.GetOrAdd(node, static n =>
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{n.Address}#{n.Uid}"), hash);
        return new NodeKey(Base32.Encode(hash, Length));
    });

    /// <summary>The key of the node this actor system runs (an extension: computed once per system).</summary>
    public static NodeKey Of(ActorSystem system) => system.WithExtension<LocalNodeKey, LocalNodeKeyProvider>().Key;

    public override string ToString() => Value;

    private sealed class LocalNodeKey(NodeKey key) : IExtension
    {
        public NodeKey Key { get; } = key;
    }

    private sealed class LocalNodeKeyProvider : ExtensionIdProvider<LocalNodeKey>
    {
        public override LocalNodeKey CreateExtension(ExtendedActorSystem system) =>
            new(Of(Akka.Cluster.Cluster.Get(system).SelfUniqueAddress));
    }
}

/// <summary>Lower-case RFC 4648 base32 without padding: safe in ids, actor names, URLs and TURN usernames.</summary>
internal static class Base32
{
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The first <paramref name="characters"/> characters (5 bits each) of <paramref name="bytes"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, int characters)
    {
        if (characters * 5 > bytes.Length * 8)
            throw new ArgumentOutOfRangeException(nameof(characters), $"{bytes.Length} bytes hold fewer than {characters} characters");
        return string.Create(characters, bytes.ToArray(), static (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                var bit = i * 5;
                var pair = (source[bit / 8] << 8) | (bit / 8 + 1 < source.Length ? source[bit / 8 + 1] : 0);
                chars[i] = Alphabet[(pair >> (11 - bit % 8)) & 31];
            }
        });
    }

    public static bool IsEncoded(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c is not ((>= 'a' and <= 'z') or (>= '2' and <= '7')))
                return false;
        return true;
    }
}
