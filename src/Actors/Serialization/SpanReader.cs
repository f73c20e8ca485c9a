using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace SocketPeer.Actors.Serialization;

/// <summary>
/// Reads what <see cref="SpanWriter"/> (and <see cref="BinaryWriter"/>) wrote, straight from the
/// received bytes. It fails closed as the stream reader does: a length prefix is checked against the
/// bytes left before anything is allocated for it, a truncated number or prefix throws, and text that
/// is not UTF-8 is refused, not replaced.
/// </summary>
internal ref struct SpanReader(ReadOnlySpan<byte> buffer)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public readonly int Left => _buffer.Length - _position;

    public byte ReadByte()
    {
        if (Left < 1) throw Truncated(1);
        return _buffer[_position++];
    }

    public bool ReadBoolean() => ReadByte() != 0;

    public long ReadInt64()
    {
        if (Left < sizeof(long)) throw Truncated(sizeof(long));
        var value = BinaryPrimitives.ReadInt64LittleEndian(_buffer[_position..]);
        _position += sizeof(long);
        return value;
    }

    /// <summary>A number appended to a message after its first release: absent (0) from an older node.</summary>
    public long OptionalInt64() => Left > 0 ? ReadInt64() : 0;

    /// <summary>As <see cref="BinaryReader.Read7BitEncodedInt"/>: at most five bytes, the fifth of four bits.</summary>
    public int Read7BitEncoded()
    {
        var result = 0u;
        for (var shift = 0; shift < 28; shift += 7)
        {
            var b = ReadByte();
            result |= (b & 0x7Fu) << shift;
            if (b <= 0x7Fu) return (int)result;
        }
        var last = ReadByte();
        if (last > 0b1111u) throw new SerializationException("a 7-bit encoded number longer than five bytes");
        return (int)(result | (uint)last << 28);
    }

    /// <summary>A length prefix, checked against the bytes left before anything is allocated for it.</summary>
    public int Length()
    {
        var length = Read7BitEncoded();
        if (length < 0 || length > Left)
            throw new SerializationException($"a length of {length} with {Left} bytes left");
        return length;
    }

    public string ReadText() => StrictUtf8.GetString(ReadSpan(Length()));

    public byte[] ReadBytes() => ReadSpan(Length()).ToArray();

    /// <summary>The next <paramref name="length"/> bytes, not copied (a length checked by <see cref="Length"/>).</summary>
    public ReadOnlySpan<byte> ReadSpan(int length)
    {
        if (Left < length) throw Truncated(length);
        var span = _buffer.Slice(_position, length);
        _position += length;
        return span;
    }

    private readonly SerializationException Truncated(int wanted) =>
        new($"{wanted} bytes wanted with {Left} left");
}
