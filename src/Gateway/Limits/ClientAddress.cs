using System.Net;
using System.Net.Sockets;

namespace SocketPeer.Gateway.Limits;

/// <summary>
/// The key every per-address limit counts under: the client's address cut to a prefix. One IPv6
/// host usually holds a whole /64 (2^64 addresses), so keying by the full address would let it
/// open as many "addresses" as it likes; an IPv4 client is one address behind its NAT. An
/// IPv4-mapped IPv6 address (<c>::ffff:192.0.2.1</c>, a dual-stack socket) counts as its IPv4 address.
/// </summary>
public static class ClientAddress
{
    /// <summary>The key of <paramref name="address"/>: its first <paramref name="ipv4Prefix"/> or <paramref name="ipv6Prefix"/> bits in CIDR form.</summary>
    public static string KeyOf(IPAddress? address, int ipv4Prefix, int ipv6Prefix)
    {
        if (address is null) return "";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? ipv4Prefix : ipv6Prefix;
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length)) return address.ToString();
        bytes = bytes[..length];
        prefix = Math.Clamp(prefix, 0, length * 8);
        for (var bit = prefix; bit < length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return $"{new IPAddress(bytes)}/{prefix}";
    }
}
