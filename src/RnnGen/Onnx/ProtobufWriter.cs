using System.Buffers.Binary;
using System.Text;

namespace RnnGen.Onnx;

/// <summary>
/// The protocol buffers wire format, only as far as ONNX needs it: varints, length-delimited fields (strings,
/// bytes, nested messages) and 32-bit floats. A nested message is written into its own writer first, so its
/// length is known before its bytes are copied in; the models we export are small enough for that.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int VarintType = 0, Fixed32Type = 5, LengthDelimitedType = 2;

    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Int64(int field, long value)
    {
        Tag(field, VarintType);
        Varint(unchecked((ulong)value)); // negative values take ten bytes, as protobuf's int64 says
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        BinaryPrimitives.WriteSingleLittleEndian(Grow(4), value);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedType);
        Varint((ulong)value.Length);
        value.CopyTo(Grow(value.Length));
    }

    public void Message(int field, ProtobufWriter message) => Bytes(field, message.Written);

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Grow(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Grow(1)[0] = (byte)value;
    }

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
