using System.Security.Cryptography;
using Akka.Actor;
using SocketPeer.Actors.Placement;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// Identifies one peer session (one client connection and what survives it). Made by the gateway at
/// connect with <see cref="NewOn(Akka.Actor.ActorSystem)"/>: the key of the node that holds the socket, then 130 random bits
/// (so an id cannot be guessed), 32 lower-case base32 characters in all. The node key is what places
/// the session's shard on that node (<see cref="SessionPlacement.Local"/>, docs/architecture.md section 6).
/// </summary>
public readonly record struct SessionId(string Value)
{
    /// <summary>Characters of an id made by <see cref="NewOn(Akka.Actor.ActorSystem)"/>.</summary>
    public const int Length = 32;

    private const int RandomCharacters = Length - NodeKey.Length; // 26 × 5 = 130 bits

    /// <summary>A new id naming the node of <paramref name="system"/>: the gateway's one factory.</summary>
    public static SessionId NewOn(ActorSystem system) => NewOn(NodeKey.Of(system));

    /// <summary>A new id naming <paramref name="node"/>.</summary>
    public static SessionId NewOn(NodeKey node)
    {
        Span<byte> random = stackalloc byte[17]; // 136 bits, of which 130 are used
        RandomNumberGenerator.Fill(random);
        return new SessionId(node.Value + Base32.Encode(random, RandomCharacters));
    }

    /// <summary>A new id that names no node: 128 random bits in hex (tests, and labels that are not sessions).</summary>
    public static SessionId New() =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    /// <summary>The node this id names, or null for an id that names none (made by <see cref="New"/>, or foreign).</summary>
    public NodeKey? Node =>
        Value is { Length: Length } && Base32.IsEncoded(Value) ? new NodeKey(Value[..NodeKey.Length]) : null;

    public override string ToString() => Value;
}
