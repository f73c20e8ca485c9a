using System.Buffers.Binary;
using System.Text;

namespace SocketPeer.Actors.Serialization;

/// <summary>
/// Writes what <see cref="BinaryWriter"/> writes (7-bit length prefixes, UTF-8 text, little-endian
/// numbers) into a span sized beforehand (<see cref="SizeOf(string)"/> and friends), so the hot
/// messages need neither a stream nor a writer nor a copy out of a growing buffer.
/// </summary>
internal ref struct SpanWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;
    private int _position;

    /// <summary>How many bytes were written: the whole buffer once the sizes were right.</summary>
    public readonly int Written => _position;

    public void Write(byte value) => _buffer[_position++] = value;

    public void Write(bool value) => Write(value ? (byte)1 : (byte)0);

    public void Write(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer[_position..], value);
        _position += sizeof(long);
    }

    /// <summary>As <see cref="BinaryWriter.Write7BitEncodedInt"/>: seven bits a byte, low first.</summary>
    public void Write7BitEncoded(int value)
    {
        var rest = (uint)value;
        while (rest > 0x7Fu)
        {
            Write((byte)(rest | 0x80u));
            rest >>= 7;
        }
        Write((byte)rest);
    }

    /// <summary>As <see cref="BinaryWriter.Write(string)"/>: the UTF-8 byte count, then the bytes.</summary>
    public void Write(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        Write7BitEncoded(length);
        _position += Encoding.UTF8.GetBytes(text, _buffer.Slice(_position, length));
    }

    /// <summary>A length-prefixed byte string (a relay's payload).</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Write7BitEncoded(bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>Bytes without a prefix (a body whose length was written before it).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    public static int SizeOf7BitEncoded(int value)
    {
        var size = 1;
        for (var rest = (uint)value; rest > 0x7Fu; rest >>= 7) size++;
        return size;
    }

    public static int SizeOf(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        return SizeOf7BitEncoded(length) + length;
    }

    public static int SizeOfBytes(int length) => SizeOf7BitEncoded(length) + length;
}
