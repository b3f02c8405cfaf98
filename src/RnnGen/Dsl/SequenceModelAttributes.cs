namespace RnnGen;

/// <summary>
/// Declares a sequence classifier on a partial class: token embedding, the recurrent layers given by
/// <see cref="LayerAttribute"/> (bottom first), pooling over each sequence's real positions, and a linear
/// output over the classes with softmax cross-entropy. The generator derives the class from
/// <c>RnnGen.Models.SequenceClassifier</c> with a constructor <c>(int vocabSize, int seed = 0)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class SequenceClassifierAttribute : Attribute
{
    /// <summary>The size of the token embedding, which is the first layer's input size.</summary>
    public int Embedding { get; set; }
    /// <summary>The number of classes.</summary>
    public int Classes { get; set; }
    /// <summary>How the outputs of a sequence become one vector; <see cref="Pooling.Last"/> unless set.</summary>
    public Pooling Pooling { get; set; } = Pooling.Last;
    /// <summary>Whether each layer reads the sequence both ways (its output is then twice its hidden size).</summary>
    public bool Bidirectional { get; set; }
}

/// <summary>
/// Declares a sequence tagger on a partial class: token embedding, the recurrent layers given by
/// <see cref="LayerAttribute"/>, and a linear output over the tags at every position. The generator derives
/// the class from <c>RnnGen.Models.SequenceTagger</c> with a constructor <c>(int vocabSize, int seed = 0)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class SequenceTaggerAttribute : Attribute
{
    /// <summary>The size of the token embedding, which is the first layer's input size.</summary>
    public int Embedding { get; set; }
    /// <summary>The number of tags; one is predicted for every token.</summary>
    public int Tags { get; set; }
    /// <summary>Whether each layer reads the sequence both ways (its output is then twice its hidden size).</summary>
    public bool Bidirectional { get; set; }
}

/// <summary>
/// Declares a sequence regressor on a partial class: vectors of <see cref="Inputs"/> values per step, the
/// recurrent layers given by <see cref="LayerAttribute"/>, and a linear output of <see cref="Outputs"/> values
/// at every step, trained with mean squared error. The generator derives the class from
/// <c>RnnGen.Models.SequenceRegressor</c> with a constructor <c>(int seed = 0)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class SequenceRegressorAttribute : Attribute
{
    /// <summary>Values per step of the input series: the first layer's input size.</summary>
    public int Inputs { get; set; }
    /// <summary>Values predicted at every step.</summary>
    public int Outputs { get; set; }
    /// <summary>Whether each layer reads the sequence both ways (not for forecasting: the backward half sees the future).</summary>
    public bool Bidirectional { get; set; }
}
