using RnnGen.Generators.Model;

namespace RnnGen.Generators.Topology;

/// <summary>A [Seq2Seq] declaration, as plain values. <see cref="Attention"/> is the AttentionKind member name.</summary>
internal sealed record Seq2SeqModelSpec(
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeName,
    LocationInfo? Location,
    int SourceEmbedding,
    int TargetEmbedding,
    string Attention,
    bool Bidirectional,
    EquatableArray<LayerModel> Encoder,
    EquatableArray<LayerModel> Decoder) : ISourceDeclared;
