namespace RnnGen;

/// <summary>
/// Declares a language model on a partial class: token embedding, the recurrent layers given by
/// <see cref="LayerAttribute"/> (in order, bottom first), and a linear output over the vocabulary with
/// softmax cross-entropy. The generator derives the class from <see cref="LanguageModel"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class LanguageModelAttribute : Attribute
{
    /// <summary>The size of the token embedding, which is the first layer's input size.</summary>
    public int Embedding { get; set; }
}

/// <summary>One recurrent layer of a <see cref="LanguageModelAttribute"/> model; its input size is the size below it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class LayerAttribute(Type cell) : Attribute
{
    /// <summary>A class marked with <see cref="RecurrentCellAttribute"/>, such as <see cref="Cells.Gru"/>.</summary>
    public Type Cell { get; } = cell;
    public int Hidden { get; set; }
    /// <summary>The probability of zeroing each output of this layer while training (inverted dropout); 0 turns it off.</summary>
    public float Dropout { get; set; }
}
