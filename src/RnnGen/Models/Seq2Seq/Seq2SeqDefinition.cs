namespace RnnGen.Models;

/// <summary>
/// One encoder layer: the forward cell and, for a bidirectional encoder, the backward cell (same sizes), and
/// the dropout on the layer's outputs in training.
/// Cells are created through a factory so that a float and a double network each get their own
/// instances (a cell keeps scratch buffers between calls).
/// </summary>
public sealed record EncoderLayerDefinition(Func<IRecurrentCell> Forward, Func<IRecurrentCell>? Backward, float Dropout = 0);

/// <summary>
/// The shape of a <see cref="Seq2SeqModel"/>: embedding sizes, the encoder and decoder layers (bottom first)
/// and the attention kind. Each factory builds a cell already sized for its input.
/// </summary>
public sealed record Seq2SeqDefinition(
    int SourceEmbedding,
    int TargetEmbedding,
    AttentionKind Attention,
    IReadOnlyList<EncoderLayerDefinition> Encoder,
    IReadOnlyList<Func<IRecurrentCell>> Decoder)
{
    public bool Bidirectional => Encoder.Count > 0 && Encoder[0].Backward is not null;

    /// <summary>The dropout on each decoder layer's outputs in training, bottom first; none when null.</summary>
    public IReadOnlyList<float>? DecoderDropout { get; init; }
}
