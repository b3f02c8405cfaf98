using System.Buffers.Binary;
using System.IO.Compression;

namespace Translate;

/// <summary>A minimal PNG encoder: 8-bit grayscale, no filtering, one zlib-compressed IDAT chunk.</summary>
internal static class PngWriter
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Writes <paramref name="pixels"/> (row-major, one byte per pixel, 0 black … 255 white) as a PNG file.</summary>
    public static void WriteGray(string path, byte[] pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != width * height) throw new ArgumentException($"{pixels.Length} pixels for a {width} x {height} image.", nameof(pixels));
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 0;  // colour type: grayscale
        // compression 0 (deflate), filter method 0, no interlace
        Chunk(file, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type None for each scanline
                zlib.Write(pixels, y * width, width);
            }
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    /// <summary>CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), continued from <paramref name="crc"/>.</summary>
    internal static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>A heat map of <paramref name="weights"/> (rows of equal length, values in [0, 1]), each cell <paramref name="cell"/> pixels square, white = 1, with a 1-pixel grid.</summary>
    public static void WriteHeatMap(string path, IReadOnlyList<float[]> weights, int cell = 24)
    {
        int rows = weights.Count, cols = weights[0].Length;
        int width = cols * cell + 1, height = rows * cell + 1;
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)128);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                byte value = (byte)Math.Clamp((int)MathF.Round(weights[r][c] * 255), 0, 255);
                for (int y = 1; y < cell; y++)
                    pixels.AsSpan((r * cell + y) * width + c * cell + 1, cell - 1).Fill(value);
            }
        WriteGray(path, pixels, width, height);
    }
}
