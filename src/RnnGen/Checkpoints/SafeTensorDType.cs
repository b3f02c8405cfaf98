using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RnnGen.Checkpoints;

/// <summary>The element types this reader converts to float, and how.</summary>
internal enum SafeTensorDType { F32, F64, F16, BF16 }

internal static class SafeTensorDTypes
{
    /// <summary>Dtypes of the safetensors format that exist but that a float model has no use for.</summary>
    private static readonly string[] KnownUnsupported =
        ["BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"];

    public static bool TryParse(string text, out SafeTensorDType dtype)
    {
        switch (text)
        {
            case "F32": dtype = SafeTensorDType.F32; return true;
            case "F64": dtype = SafeTensorDType.F64; return true;
            case "F16": dtype = SafeTensorDType.F16; return true;
            case "BF16": dtype = SafeTensorDType.BF16; return true;
            default: dtype = default; return false;
        }
    }

    public static bool IsKnownUnsupported(string text) => Array.IndexOf(KnownUnsupported, text) >= 0;

    public static int Size(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F64 => 8,
        SafeTensorDType.F32 => 4,
        _ => 2,
    };

    /// <summary>Converts little-endian elements of <paramref name="dtype"/> to floats; the lengths agree.</summary>
    public static void ToFloat(SafeTensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafeTensorDType.F32:
                if (BitConverter.IsLittleEndian) source.CopyTo(MemoryMarshal.AsBytes(destination));
                else for (int i = 0; i < destination.Length; i++) destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                break;
            case SafeTensorDType.F64:
                for (int i = 0; i < destination.Length; i++) destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                break;
            case SafeTensorDType.F16:
                for (int i = 0; i < destination.Length; i++) destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(2 * i)..]);
                break;
            case SafeTensorDType.BF16:
                // bfloat16 is the upper half of a float32: widening is exact.
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]) << 16);
                break;
        }
    }
}
