using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace RnnGen.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length <c>N</c>, <c>N</c> bytes of
/// UTF-8 JSON mapping each tensor name to <c>{dtype, shape, data_offsets: [begin, end]}</c> (offsets into the
/// byte buffer after the header) plus optional <c>"__metadata__"</c> strings, then the tensor bytes, row-major
/// and little-endian. Files written here hold F32 tensors and load in PyTorch's <c>safetensors</c>.
/// </summary>
public static class SafeTensors
{
    /// <summary>Bytes converted per read: large tensors are read in pieces so no buffer grows past it.</summary>
    private const int ChunkBytes = 1 << 20;

    // AsyncLocal, not ThreadStatic, like AtomicFile's file-system hook: it follows the flow that set it.
    private static readonly AsyncLocal<Action<string>?> s_beforeCommit = new();

    /// <summary>Test hook: runs on the writing thread with the temporary file's path just before it replaces the target.</summary>
    internal static Action<string>? BeforeCommitForTesting
    {
        get => s_beforeCommit.Value;
        set => s_beforeCommit.Value = value;
    }


    /// <summary>
    /// Writes <paramref name="tensors"/> as F32 in the order given, with optional <paramref name="metadata"/>.
    /// The write is atomic: the file is written to a temporary file in the same folder, flushed to disk and
    /// then moved over <paramref name="path"/>, so a crash leaves either the old file or the new one, never half of one.
    /// The metadata also gets a CRC-32C of each tensor and of the other metadata (see <see cref="CheckpointChecksums"/>),
    /// which <see cref="Read"/> verifies. A tensor holding NaN or an infinity is refused with an <see cref="ArgumentException"/>.
    /// </summary>
    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        // Materialise first: the header needs every size, and a failing enumeration must not touch the disk.
        List<SafeTensor> list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            SafeTensor tensor = list[i] ?? throw new ArgumentException($"Tensor {i} is null.", nameof(tensors));
            if (tensor.Name == SafeTensorsHeader.MetadataKey)
                throw new ArgumentException($"'{SafeTensorsHeader.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"Two tensors are named '{tensor.Name}'.", nameof(tensors));
            int bad = FiniteValues.IndexOfNonFinite(tensor.Data);
            if (bad >= 0)
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' holds {FiniteValues.Describe(tensor.Data[bad])} at index {bad}; a checkpoint must hold finite values, so it was not written.",
                    nameof(tensors));
        }
        if (metadata is not null && metadata.ContainsKey(CheckpointChecksums.MetadataKey))
            throw new ArgumentException($"Metadata key '{CheckpointChecksums.MetadataKey}' is reserved for the checksums the writer adds.", nameof(metadata));
        // The checksums go into the header, so the data is hashed before anything is written.
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            all[key] = value ?? throw new ArgumentNullException(nameof(metadata), $"metadata['{key}'] is null.");
        all[CheckpointChecksums.MetadataKey] = CheckpointChecksums.Build(list.Select(t => (t.Name, ChecksumOf(t.Data))).ToList(), all);
        byte[] header = BuildHeader(list, all);

        AtomicFile.Write(path, ChunkBytes, (fs, stream) =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            fs.Write(stream, length);
            fs.Write(stream, header);
            foreach (SafeTensor tensor in list)
                WriteFloats(fs, stream, tensor.Data);
        }, BeforeCommitForTesting);
    }

    /// <summary>Writes the current values of <paramref name="parameters"/> under their names and shapes.</summary>
    public static void Write(string path, IReadOnlyList<Parameter> parameters, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Write(path, parameters.Select(SafeTensor.FromParameter), metadata);
    }

    private static byte[] BuildHeader(List<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(SafeTensorsHeader.MetadataKey);
            foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (SafeTensor tensor in tensors)
            {
                long end = offset + 4L * tensor.Data.Length;
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the tensor data starts 8-byte aligned, as the format allows.
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>The CRC-32C of <paramref name="data"/> as the file stores it: little-endian F32.</summary>
    private static uint ChecksumOf(float[] data)
    {
        if (BitConverter.IsLittleEndian) return Crc32C.Compute(MemoryMarshal.AsBytes(data.AsSpan()));
        uint state = Crc32C.Initial;
        Span<byte> bytes = stackalloc byte[4];
        foreach (float value in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            state = Crc32C.Append(state, bytes);
        }
        return Crc32C.Finish(state);
    }

    private static void WriteFloats(CheckpointFileSystem fs, Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            for (int start = 0; start < data.Length; start += ChunkBytes / 4)
                fs.Write(stream, MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(ChunkBytes / 4, data.Length - start))));
            return;
        }
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < data.Length; start += ChunkBytes / 4)
            {
                int count = Math.Min(ChunkBytes / 4, data.Length - start);
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(4 * i), data[start + i]);
                fs.Write(stream, chunk.AsSpan(0, 4 * count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Reads a whole safetensors file, converting F32, F64, F16 and BF16 tensors to float. Everything is
    /// checked: the header, the checksums when the file has them (files from PyTorch have none and load unchecked)
    /// and that every value is finite. A damaged or foreign file raises a <see cref="CheckpointException"/> naming
    /// the path and the problem. The checksum entry is not part of the returned metadata.
    /// </summary>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
            throw new CheckpointException(path, $"the file is {fileLength} bytes long, too short for the 8-byte header length");

        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(path, handle, lengthBytes, 0);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointException(path, $"the header length {headerLength} runs past the end of the file ({fileLength} bytes)");
        if (headerLength > int.MaxValue)
            throw new CheckpointException(path, $"the header length {headerLength} is too large");
        if (headerLength == 0)
            throw new CheckpointException(path, "the header is empty");

        byte[] headerBytes = new byte[headerLength];
        ReadExactly(path, handle, headerBytes, 8);
        // The format allows trailing spaces after the JSON object to align the data.
        int jsonLength = headerBytes.AsSpan().TrimEnd((byte)' ').Length;
        long dataStart = 8 + (long)headerLength;
        var header = SafeTensorsHeader.Parse(path, headerBytes.AsMemory(0, jsonLength), fileLength - dataStart);
        // The metadata is checked before the tensors are read, so a damaged file fails fast.
        var checksums = CheckpointChecksums.Verify(path, header.Metadata, header.Entries.Select(e => e.Name));

        var tensors = new List<SafeTensor>(header.Entries.Count);
        foreach (var entry in header.Entries)
        {
            float[] data = new float[entry.ElementCount];
            uint checksum = ReadElements(path, handle, entry.DType, dataStart + entry.Begin, data);
            if (checksums is not null && checksums.Tensors[entry.Name] != checksum)
                throw new CheckpointException(path, $"tensor '{entry.Name}' does not match its checksum (the file is damaged)");
            // Also for files without checksums: F64 values beyond float's range become infinities here.
            int bad = FiniteValues.IndexOfNonFinite(data);
            if (bad >= 0)
                throw new CheckpointException(path, $"tensor '{entry.Name}' holds {FiniteValues.Describe(data[bad])} at index {bad}; a model cannot use non-finite weights");
            tensors.Add(new SafeTensor(entry.Name, entry.Shape, data));
        }
        header.Metadata.Remove(CheckpointChecksums.MetadataKey);
        return new SafeTensorsFile(path, tensors, header.Metadata);
    }

    /// <summary>Reads and converts one tensor's elements; returns the CRC-32C of its bytes as stored.</summary>
    private static uint ReadElements(string path, Microsoft.Win32.SafeHandles.SafeFileHandle handle, SafeTensorDType dtype, long offset, float[] data)
    {
        int size = SafeTensorDTypes.Size(dtype);
        int perChunk = ChunkBytes / size;
        uint state = Crc32C.Initial;
        if (dtype == SafeTensorDType.F32 && BitConverter.IsLittleEndian)
        {
            for (int start = 0; start < data.Length; start += perChunk)
            {
                Span<byte> part = MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(perChunk, data.Length - start)));
                ReadExactly(path, handle, part, offset + (long)start * 4);
                state = Crc32C.Append(state, part);
            }
            return Crc32C.Finish(state);
        }
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < data.Length; start += perChunk)
            {
                int count = Math.Min(perChunk, data.Length - start);
                Span<byte> bytes = chunk.AsSpan(0, count * size);
                ReadExactly(path, handle, bytes, offset + (long)start * size);
                state = Crc32C.Append(state, bytes);
                SafeTensorDTypes.ToFloat(dtype, bytes, data.AsSpan(start, count));
            }
            return Crc32C.Finish(state);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static void ReadExactly(string path, Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0) throw new CheckpointException(path, $"the file ended early at byte {offset}");
            buffer = buffer[read..];
            offset += read;
        }
    }
}
