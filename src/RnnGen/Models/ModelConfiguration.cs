using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnGen.Models;

/// <summary>
/// The shape of a model of any topology, stored as JSON in a checkpoint's metadata under <see cref="MetadataKey"/>.
/// A language model needs only the first three; the other topologies say what they are in <see cref="Kind"/>
/// and fill what they use.
/// </summary>
public sealed record ModelConfiguration(int VocabSize, int EmbeddingSize, IReadOnlyList<LayerConfiguration> Layers)
{
    public const string MetadataKey = "rnngen.model";

    /// <summary>"language-model", "sequence-classifier", "sequence-tagger", "sequence-regressor" or "seq2seq".</summary>
    public string Kind { get; init; } = LanguageModelKind;
    public const string LanguageModelKind = "language-model";
    public bool Bidirectional { get; init; }
    /// <summary>Classes, tags or predicted values per step; 0 for a language model (its outputs are the vocabulary).</summary>
    public int Outputs { get; init; }
    /// <summary>Values per input step of a regressor; 0 for token models.</summary>
    public int Inputs { get; init; }
    /// <summary>A classifier's pooling ("Last", "Mean", "Max").</summary>
    public string? Pooling { get; init; }
    /// <summary>Seq2seq: the decoder's layers (<see cref="Layers"/> are the encoder's), the target side and the attention.</summary>
    public IReadOnlyList<LayerConfiguration>? DecoderLayers { get; init; }
    public int TargetVocabSize { get; init; }
    public int TargetEmbeddingSize { get; init; }
    public string? Attention { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ModelJsonContext.Default.ModelConfiguration);

    public static ModelConfiguration FromJson(string json) =>
        JsonSerializer.Deserialize(json, ModelJsonContext.Default.ModelConfiguration)
        ?? throw new JsonException("The model configuration is empty.");

    /// <summary>A one-line description, e.g. "vocab 65, embedding 64, Gru 512 → Lstm 512 (dropout 0.2)".</summary>
    public override string ToString()
    {
        string layers = string.Join(" → ", Layers.Select(l => Bidirectional ? "bidirectional " + l : l.ToString()));
        return Kind switch
        {
            "sequence-classifier" => $"sequence classifier: vocab {VocabSize}, embedding {EmbeddingSize}, {layers}, {Pooling?.ToLowerInvariant()} pooling, {Outputs} classes",
            "sequence-tagger" => $"sequence tagger: vocab {VocabSize}, embedding {EmbeddingSize}, {layers}, {Outputs} tags",
            "sequence-regressor" => $"sequence regressor: {Inputs} inputs, {layers}, {Outputs} outputs",
            "seq2seq" => $"seq2seq: source vocab {VocabSize}, embedding {EmbeddingSize}, {layers}; {Attention?.ToLowerInvariant()} attention; "
                         + $"target vocab {TargetVocabSize}, embedding {TargetEmbeddingSize}, {string.Join(" → ", DecoderLayers ?? [])}",
            _ => $"vocab {VocabSize}, embedding {EmbeddingSize}, " + layers,
        };
    }

    /// <summary>Whether <paramref name="other"/> has the same shapes (dropout may differ).</summary>
    public bool SameShapeAs(ModelConfiguration other) =>
        Kind == other.Kind && VocabSize == other.VocabSize && EmbeddingSize == other.EmbeddingSize
        && SameLayers(Layers, other.Layers) && SameLayers(DecoderLayers ?? [], other.DecoderLayers ?? [])
        && Bidirectional == other.Bidirectional && Outputs == other.Outputs && Inputs == other.Inputs && Pooling == other.Pooling
        && TargetVocabSize == other.TargetVocabSize && TargetEmbeddingSize == other.TargetEmbeddingSize && Attention == other.Attention;

    private static bool SameLayers(IReadOnlyList<LayerConfiguration> a, IReadOnlyList<LayerConfiguration> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Cell == p.Second.Cell && p.First.Hidden == p.Second.Hidden);
}

/// <summary>One recurrent layer: the cell's type name, its hidden size and its output dropout.</summary>
public sealed record LayerConfiguration(string Cell, int Hidden, float Dropout)
{
    public override string ToString() => Dropout > 0 ? $"{Cell} {Hidden} (dropout {Dropout:0.##})" : $"{Cell} {Hidden}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(ModelConfiguration))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
