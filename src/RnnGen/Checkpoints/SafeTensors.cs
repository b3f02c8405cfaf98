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

    /// <summary>Test hook: runs on the writing thread with the temporary file's path just before it replaces the target.</summary>
    [ThreadStatic] internal static Action<string>? BeforeCommitForTesting;

    /// <summary>
    /// Writes <paramref name="tensors"/> as F32 in the order given, with optional <paramref name="metadata"/>.
    /// The write is atomic: the file is written to a temporary file in the same folder, flushed to disk and
    /// then moved over <paramref name="path"/>, so a crash leaves either the old file or the new one, never half of one.
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
        }
        byte[] header = BuildHeader(list, metadata);

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: ChunkBytes))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (SafeTensor tensor in list)
                    WriteFloats(stream, tensor.Data);
                stream.Flush(flushToDisk: true);
            }
            BeforeCommitForTesting?.Invoke(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes the current values of <paramref name="parameters"/> under their names and shapes.</summary>
    public static void Write(string path, IReadOnlyList<Parameter> parameters, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Write(path, parameters.Select(SafeTensor.FromParameter), metadata);
    }

    private static byte[] BuildHeader(List<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    ArgumentNullException.ThrowIfNull(value, $"metadata['{key}']");
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
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

    private static void WriteFloats(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            for (int start = 0; start < data.Length; start += ChunkBytes / 4)
                stream.Write(MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(ChunkBytes / 4, data.Length - start))));
            return;
        }
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < data.Length; start += ChunkBytes / 4)
            {
                int count = Math.Min(ChunkBytes / 4, data.Length - start);
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(4 * i), data[start + i]);
                stream.Write(chunk, 0, 4 * count);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Reads a whole safetensors file, converting F32, F64, F16 and BF16 tensors to float. Everything is
    /// checked; a damaged or foreign file raises a <see cref="CheckpointException"/> naming the path and the problem.
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

        var tensors = new List<SafeTensor>(header.Entries.Count);
        foreach (var entry in header.Entries)
        {
            float[] data = new float[entry.ElementCount];
            ReadElements(path, handle, entry.DType, dataStart + entry.Begin, data);
            tensors.Add(new SafeTensor(entry.Name, entry.Shape, data));
        }
        return new SafeTensorsFile(path, tensors, header.Metadata);
    }

    private static void ReadElements(string path, Microsoft.Win32.SafeHandles.SafeFileHandle handle, SafeTensorDType dtype, long offset, float[] data)
    {
        int size = SafeTensorDTypes.Size(dtype);
        int perChunk = ChunkBytes / size;
        if (dtype == SafeTensorDType.F32 && BitConverter.IsLittleEndian)
        {
            for (int start = 0; start < data.Length; start += perChunk)
            {
                Span<float> part = data.AsSpan(start, Math.Min(perChunk, data.Length - start));
                ReadExactly(path, handle, MemoryMarshal.AsBytes(part), offset + (long)start * 4);
            }
            return;
        }
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < data.Length; start += perChunk)
            {
                int count = Math.Min(perChunk, data.Length - start);
                Span<byte> bytes = chunk.AsSpan(0, count * size);
                ReadExactly(path, handle, bytes, offset + (long)start * size);
                SafeTensorDTypes.ToFloat(dtype, bytes, data.AsSpan(start, count));
            }
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
