using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Checkpoints;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF), the
/// checksum of iSCSI, ext4 and Google's <c>crc32c</c> package: <c>"123456789"</c> gives <c>0xE3069283</c>.
/// Chosen for checkpoints because x64 (SSE4.2) and Arm64 compute it in hardware at several GB/s, it
/// catches every single-bit flip and every burst of up to 32 bits, and Python can check it with
/// <c>pip install crc32c</c>. It guards against damage, not against someone forging a file.
/// </summary>
internal static class Crc32C
{
    /// <summary>The running state before any byte; pass it to <see cref="Append"/>, then <see cref="Finish"/>.</summary>
    public const uint Initial = 0xFFFFFFFF;

    private const uint Polynomial = 0x82F63B78;
    private static readonly uint[] Table = BuildTable();

    public static uint Finish(uint state) => ~state;

    /// <summary>The checksum of <paramref name="data"/> in one go.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    /// <summary>Feeds <paramref name="data"/> into a running <paramref name="state"/>, so large tensors can be hashed chunk by chunk.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong wide = state;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            state = (uint)wide;
            foreach (byte b in data) state = Sse42.Crc32(state, b);
            return state;
        }
        if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            foreach (byte b in data) state = Crc32.ComputeCrc32C(state, b);
            return state;
        }
        return AppendSoftware(state, data);
    }

    /// <summary>The table-driven fallback for other CPUs; internal so tests can check it against the hardware path.</summary>
    internal static uint AppendSoftware(uint state, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) state = Table[(byte)(state ^ b)] ^ (state >> 8);
        return state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
