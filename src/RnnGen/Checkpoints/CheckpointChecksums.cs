using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RnnGen.Checkpoints;

/// <summary>
/// The checksums a checkpoint carries in its <c>__metadata__</c> under <see cref="MetadataKey"/>, as one string
/// (safetensors metadata must stay a string → string map, so PyTorch still loads the file) holding compact JSON:
/// <c>{"algorithm":"crc32c","metadata":"1a2b3c4d","tensors":{"embedding.weight":"5e6f7a8b",...}}</c>.
/// Each tensor's value is the <see cref="Crc32C"/> of its bytes exactly as stored in the file. The metadata's
/// value covers every other metadata entry: sorted by the UTF-8 bytes of their keys (code-point order, the same
/// in every language), each entry as an 8-byte little-endian length, the key's UTF-8 bytes, an 8-byte length
/// and the value's UTF-8 bytes. The vocabulary and the model configuration live in the metadata, so swapped
/// vocabulary entries are caught as surely as a flipped weight.
/// </summary>
internal sealed class CheckpointChecksums
{
    public const string MetadataKey = "rnngen.checksums";
    private const string Algorithm = "crc32c";

    private CheckpointChecksums(Dictionary<string, uint> tensors) => Tensors = tensors;

    /// <summary>The expected checksum of each tensor, by name.</summary>
    public Dictionary<string, uint> Tensors { get; }

    /// <summary>The checksum entry's value for tensors whose checksums are <paramref name="tensors"/>, in file order.</summary>
    public static string Build(IReadOnlyList<(string Name, uint Checksum)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("algorithm", Algorithm);
            json.WriteString("metadata", Hex(OfMetadata(metadata)));
            json.WriteStartObject("tensors");
            foreach (var (name, checksum) in tensors) json.WriteString(name, Hex(checksum));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads the checksum entry of <paramref name="metadata"/> and checks the metadata against it, and that it
    /// lists exactly the file's tensors (a flipped bit in a name would otherwise go unnoticed). Null when the file
    /// has no checksums (written by PyTorch, say): such files load unchecked.
    /// </summary>
    public static CheckpointChecksums? Verify(string path, IReadOnlyDictionary<string, string> metadata, IEnumerable<string> tensorNames)
    {
        if (!metadata.TryGetValue(MetadataKey, out string? text))
        {
            // A flipped bit in the key itself would otherwise pass the file off as one without checksums.
            foreach (string key in metadata.Keys)
                if (BitsApart(key, MetadataKey) <= 4)
                    throw new CheckpointException(path, $"the metadata key '{key}' looks like a damaged '{MetadataKey}' (the file is damaged)");
            return null;
        }
        var tensors = new Dictionary<string, uint>(StringComparer.Ordinal);
        uint metadataChecksum;
        try
        {
            using var document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Damaged(path, "it is not a JSON object");
            string algorithm = Text(path, root, "algorithm");
            if (algorithm != Algorithm)
                throw new CheckpointException(path, $"its checksums use the algorithm '{algorithm}'; this library checks '{Algorithm}'");
            metadataChecksum = ParseHex(path, "metadata", Text(path, root, "metadata"));
            if (!root.TryGetProperty("tensors", out JsonElement list) || list.ValueKind != JsonValueKind.Object)
                throw Damaged(path, "it has no \"tensors\" object");
            foreach (JsonProperty item in list.EnumerateObject())
            {
                if (item.Value.ValueKind != JsonValueKind.String) throw Damaged(path, $"the checksum of '{item.Name}' is not a string");
                if (!tensors.TryAdd(item.Name, ParseHex(path, item.Name, item.Value.GetString()!)))
                    throw Damaged(path, $"it lists '{item.Name}' twice");
            }
            if (root.EnumerateObject().Count() != 3) throw Damaged(path, "it has keys other than algorithm, metadata and tensors");
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(path, $"the checksum entry '{MetadataKey}' is damaged (it is not valid JSON: {ex.Message})", ex);
        }

        if (OfMetadata(metadata) != metadataChecksum)
            throw new CheckpointException(path, "the metadata does not match its checksum (the file is damaged)");
        var names = new HashSet<string>(tensorNames, StringComparer.Ordinal);
        foreach (string name in names)
            if (!tensors.ContainsKey(name))
                throw new CheckpointException(path, $"tensor '{name}' has no checksum (the file is damaged)");
        foreach (string name in tensors.Keys)
            if (!names.Contains(name))
                throw new CheckpointException(path, $"the checksums list a tensor '{name}' that the file lacks (the file is damaged)");
        return new CheckpointChecksums(tensors);
    }

    /// <summary>The checksum of every metadata entry but the checksum entry itself, in the canonical form described above.</summary>
    public static uint OfMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        var entries = metadata.Where(kv => kv.Key != MetadataKey)
            .Select(kv => (Key: Encoding.UTF8.GetBytes(kv.Key), Value: Encoding.UTF8.GetBytes(kv.Value)))
            .OrderBy(e => e.Key, Utf8Order.Instance);
        uint state = Crc32C.Initial;
        Span<byte> length = stackalloc byte[8];
        foreach (var (key, value) in entries)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)key.Length);
            state = Crc32C.Append(Crc32C.Append(state, length), key);
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)value.Length);
            state = Crc32C.Append(Crc32C.Append(state, length), value);
        }
        return Crc32C.Finish(state);
    }

    /// <summary>How many bits differ between the UTF-8 forms of two keys of the same byte length; int.MaxValue otherwise.</summary>
    private static int BitsApart(string a, string b)
    {
        byte[] x = Encoding.UTF8.GetBytes(a), y = Encoding.UTF8.GetBytes(b);
        if (x.Length != y.Length) return int.MaxValue;
        int bits = 0;
        for (int i = 0; i < x.Length; i++) bits += System.Numerics.BitOperations.PopCount((uint)(x[i] ^ y[i]));
        return bits;
    }

    internal static string Hex(uint checksum) => checksum.ToString("x8", CultureInfo.InvariantCulture);

    private static string Text(string path, JsonElement root, string key) =>
        root.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Damaged(path, $"it has no \"{key}\" string");

    private static uint ParseHex(string path, string what, string text) =>
        text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
            ? value
            : throw Damaged(path, $"the checksum of '{what}' is not 8 hexadecimal digits");

    private static CheckpointException Damaged(string path, string problem) =>
        new(path, $"the checksum entry '{MetadataKey}' is damaged ({problem})");

    /// <summary>Lexicographic order of UTF-8 bytes, which is code-point order (unlike .NET's ordinal order of UTF-16 units).</summary>
    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
