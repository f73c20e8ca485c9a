using System.Security.Cryptography;
using System.Text;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Events;

/// <summary>
/// Names one pairing for the application's backend (room events): the pair code and the two sessions
/// that paired, as both sides know them, hashed. Either session computes the same id without asking
/// the other, and a session rebuilt from its token after a crash computes it again; a successor
/// session (its predecessor's node was lost) names its predecessor, as its partner does, so the
/// pairing keeps its id through a succession. 32 lower-case hex characters (128 bits).
/// </summary>
public readonly record struct PairingId(string Value)
{
    public static PairingId Of(PairCode code, SessionId one, SessionId other)
    {
        // Ordered, so both sides agree whichever of them asks.
        var (first, second) = string.CompareOrdinal(one.Value, other.Value) <= 0 ? (one, other) : (other, one);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{code.Value}\n{first.Value}\n{second.Value}"));
        return new PairingId(Convert.ToHexStringLower(hash.AsSpan(0, 16)));
    }

    public override string ToString() => Value;
}
