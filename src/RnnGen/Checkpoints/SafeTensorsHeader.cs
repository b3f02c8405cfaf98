using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace RnnGen.Checkpoints;

/// <summary>
/// The parsed and checked JSON header of a safetensors file: every tensor's dtype, shape and byte range
/// (relative to the data buffer after the header), and the optional string metadata. Parsing uses
/// <see cref="JsonDocument"/>, which needs no reflection, so it is safe under trimming and NativeAOT.
/// </summary>
internal sealed class SafeTensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The keys a tensor's description may have; any other is a misspelling or damage.</summary>
    private static readonly string[] Fields = ["dtype", "shape", "data_offsets"];

    internal readonly record struct Entry(string Name, SafeTensorDType DType, int[] Shape, int ElementCount, long Begin, long End);

    private SafeTensorsHeader(List<Entry> entries, Dictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Tensors in the order the header lists them.</summary>
    public List<Entry> Entries { get; }
    public Dictionary<string, string> Metadata { get; }

    /// <summary>Parses <paramref name="json"/> and checks it against a data buffer of <paramref name="dataLength"/> bytes.</summary>
    public static SafeTensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long dataLength)
    {
        // JsonDocument does not check the UTF-8 inside strings until they are read, where it would throw
        // InvalidOperationException; checking first turns a flipped high bit into a clear message.
        var utf16 = new char[json.Length];
        if (Utf8.ToUtf16(json.Span, utf16, out int valid, out _, replaceInvalidSequences: false) != OperationStatus.Done)
            throw new CheckpointException(path, $"the header is not valid UTF-8 (at byte {8 + valid} of the file)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(path, $"the header is not valid JSON ({ex.Message})", ex);
        }
        using var disposeDocument = document;
        try
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(path, $"the header must be a JSON object, not {Describe(root.ValueKind)}");

            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new CheckpointException(path, $"the header names '{property.Name}' twice");
                if (property.Name == MetadataKey)
                    ReadMetadata(path, property.Value, metadata);
                else
                    entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            CheckRanges(path, entries, dataLength);
            return new SafeTensorsHeader(entries, metadata);
        }
        catch (InvalidOperationException ex)
        {
            // Valid UTF-8 can still escape an unpaired surrogate ("\ud800"), which no .NET string can hold.
            throw new CheckpointException(path, $"the header holds a string that is not valid Unicode ({ex.Message})", ex);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(path, $"'{MetadataKey}' must be an object of strings, not {Describe(value.ValueKind)}");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointException(path, $"metadata '{item.Name}' must be a string, not {Describe(item.Value.ValueKind)}");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new CheckpointException(path, $"the metadata names '{item.Name}' twice");
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value)
    {
        if (name.Length == 0)
            throw new CheckpointException(path, "a tensor has an empty name");
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(path, $"tensor '{name}' must be described by an object, not {Describe(value.ValueKind)}");

        foreach (JsonProperty field in value.EnumerateObject())
            if (Array.IndexOf(Fields, field.Name) < 0)
                throw new CheckpointException(path, $"tensor '{name}' has an unknown key '{field.Name}' (expected {string.Join(", ", Fields)})");

        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new CheckpointException(path, $"tensor '{name}' has no \"dtype\" string");
        string dtypeText = dtypeElement.GetString()!;
        if (!SafeTensorDTypes.TryParse(dtypeText, out SafeTensorDType dtype))
            throw new CheckpointException(path, SafeTensorDTypes.IsKnownUnsupported(dtypeText)
                ? $"tensor '{name}' has dtype {dtypeText}, which cannot be read as float (supported: F32, F64, F16, BF16)"
                : $"tensor '{name}' has unknown dtype '{dtypeText}' (supported: F32, F64, F16, BF16)");

        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new CheckpointException(path, $"tensor '{name}' has no \"shape\" array");
        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        int k = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out int d) || d < 0)
                throw new CheckpointException(path, $"tensor '{name}' has a shape entry that is not a non-negative integer: {dim.GetRawText()}");
            shape[k++] = d;
            count *= d;
            if (count > Array.MaxLength)
                throw new CheckpointException(path, $"tensor '{name}' of shape {SafeTensor.ShapeText(shape.AsSpan(0, k))}... has more elements than an array can hold");
        }

        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new CheckpointException(path, $"tensor '{name}' has no \"data_offsets\" pair [begin, end]");
        if (offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new CheckpointException(path, $"tensor '{name}' has invalid data_offsets {offsets.GetRawText()}: they must be integers with 0 <= begin <= end");

        long bytes = count * SafeTensorDTypes.Size(dtype);
        if (end - begin != bytes)
            throw new CheckpointException(path,
                $"tensor '{name}' of dtype {dtypeText} and shape {SafeTensor.ShapeText(shape)} needs {bytes} bytes but its data_offsets [{begin}, {end}] span {end - begin}");
        return new Entry(name, dtype, shape, (int)count, begin, end);
    }

    private static void CheckRanges(string path, List<Entry> entries, long dataLength)
    {
        foreach (Entry e in entries)
            if (e.End > dataLength)
                throw new CheckpointException(path,
                    $"tensor '{e.Name}' needs {e.End - e.Begin} bytes but the file ends after {Math.Max(0, dataLength - e.Begin)}");

        var byStart = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        for (int i = 1; i < byStart.Count; i++)
            if (byStart[i].Begin < byStart[i - 1].End)
                throw new CheckpointException(path,
                    $"tensors '{byStart[i - 1].Name}' (bytes {byStart[i - 1].Begin}..{byStart[i - 1].End}) and '{byStart[i].Name}' (bytes {byStart[i].Begin}..{byStart[i].End}) overlap");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
