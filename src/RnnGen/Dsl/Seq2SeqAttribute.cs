namespace RnnGen;

/// <summary>How the decoder scores the encoder's outputs (Luong et al. 2015; Bahdanau et al. 2015).</summary>
public enum AttentionKind
{
    /// <summary>score(h, e) = h · e. Needs the encoder's output size (2H when bidirectional) to equal the decoder's hidden size.</summary>
    Dot,
    /// <summary>score(h, e) = h · (W e), with W of shape [decoder hidden, encoder output].</summary>
    General,
    /// <summary>score(h, e) = vᵀ tanh(W1 e + W2 h), with an attention size equal to the decoder's hidden size.</summary>
    Additive,
}

/// <summary>
/// Declares a sequence-to-sequence model with attention on a partial class: source and target embeddings,
/// the encoder layers given by <see cref="EncoderAttribute"/> and the decoder layers given by
/// <see cref="DecoderAttribute"/> (each in order, bottom first), and attention between them.
/// The generator derives the class from <see cref="Seq2SeqModel"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class Seq2SeqAttribute : Attribute
{
    /// <summary>The size of the source token embedding: the first encoder layer's input size.</summary>
    public int SourceEmbedding { get; set; }
    /// <summary>The size of the target token embedding: the first decoder layer's input size.</summary>
    public int TargetEmbedding { get; set; }
    /// <summary>The attention score; <see cref="AttentionKind.General"/> unless set.</summary>
    public AttentionKind Attention { get; set; } = AttentionKind.General;
    /// <summary>Whether each encoder layer reads the source both ways (its output is then twice its hidden size).</summary>
    public bool Bidirectional { get; set; }
}

/// <summary>One encoder layer of a <see cref="Seq2SeqAttribute"/> model; its input size is the output size below it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class EncoderAttribute(Type cell) : Attribute
{
    /// <summary>A class marked with <see cref="RecurrentCellAttribute"/>, such as <see cref="Cells.Gru"/>.</summary>
    public Type Cell { get; } = cell;
    public int Hidden { get; set; }
    /// <summary>The dropout on this layer's outputs in training, in [0, 1); none unless set.</summary>
    public float Dropout { get; set; }
}

/// <summary>One decoder layer of a <see cref="Seq2SeqAttribute"/> model; its input size is the size below it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class DecoderAttribute(Type cell) : Attribute
{
    /// <summary>A class marked with <see cref="RecurrentCellAttribute"/>, such as <see cref="Cells.Gru"/>.</summary>
    public Type Cell { get; } = cell;
    public int Hidden { get; set; }
    /// <summary>The dropout on this layer's outputs in training, in [0, 1); none unless set.</summary>
    public float Dropout { get; set; }
}
