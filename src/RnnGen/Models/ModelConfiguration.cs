using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnGen.Models;

/// <summary>The shape of a language model, stored as JSON in a checkpoint's metadata under <see cref="MetadataKey"/>.</summary>
public sealed record ModelConfiguration(int VocabSize, int EmbeddingSize, IReadOnlyList<LayerConfiguration> Layers)
{
    public const string MetadataKey = "rnngen.model";

    public string ToJson() => JsonSerializer.Serialize(this, ModelJsonContext.Default.ModelConfiguration);

    public static ModelConfiguration FromJson(string json) =>
        JsonSerializer.Deserialize(json, ModelJsonContext.Default.ModelConfiguration)
        ?? throw new JsonException("The model configuration is empty.");

    /// <summary>A one-line description, e.g. "vocab 65, embedding 64, Gru 512 → Lstm 512 (dropout 0.2)".</summary>
    public override string ToString() =>
        $"vocab {VocabSize}, embedding {EmbeddingSize}, " + string.Join(" → ", Layers.Select(l => l.ToString()));

    /// <summary>Whether <paramref name="other"/> has the same shapes (dropout may differ).</summary>
    public bool SameShapeAs(ModelConfiguration other) =>
        VocabSize == other.VocabSize && EmbeddingSize == other.EmbeddingSize && Layers.Count == other.Layers.Count
        && Layers.Zip(other.Layers).All(p => p.First.Cell == p.Second.Cell && p.First.Hidden == p.Second.Hidden);
}

/// <summary>One recurrent layer: the cell's type name, its hidden size and its output dropout.</summary>
public sealed record LayerConfiguration(string Cell, int Hidden, float Dropout)
{
    public override string ToString() => Dropout > 0 ? $"{Cell} {Hidden} (dropout {Dropout:0.##})" : $"{Cell} {Hidden}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ModelConfiguration))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
