using System.Security.Cryptography;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// Identifies one peer session (one client connection and what survives it).
/// Made by the gateway at connect: 128 random bits, so an id cannot be guessed.
/// </summary>
public readonly record struct SessionId(string Value)
{
    public static SessionId New() =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    public override string ToString() => Value;
}
