using System.Numerics;

namespace RnnGen.Models;

/// <summary>
/// The generated part of a sequence classifier, in one element type: embedding → recurrent stack → pooling
/// → linear output over the classes, softmax cross-entropy over the rows; and its training step.
/// </summary>
public abstract class SequenceClassifierNetwork<T>(int vocabSize) : TokenNetwork<T>(vocabSize) where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public abstract SequencePooling<T> Pool { get; }

    /// <summary>Forward, then as far as <paramref name="pass"/> says; the mean cross-entropy over the rows (NaN for Predict).</summary>
    public abstract T Step(SequenceBatch batch, Pass pass, bool training);

    /// <summary>The logits of the last forward pass, [rows, classes].</summary>
    public Span<T> Logits => Output.Result;
}

/// <summary>
/// The generated part of a sequence tagger, in one element type: embedding → recurrent stack → linear output
/// over the tags at every position, softmax cross-entropy over the real tokens; and its training step.
/// </summary>
public abstract class SequenceTaggerNetwork<T>(int vocabSize) : TokenNetwork<T>(vocabSize) where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Forward, then as far as <paramref name="pass"/> says; the mean cross-entropy over the real tokens (NaN for Predict).</summary>
    public abstract T Step(SequenceBatch batch, Pass pass, bool training);

    /// <summary>The logits of the last forward pass, time-major [steps, rows, tags] (padded positions hold anything).</summary>
    public Span<T> Logits => Output.Result;
}

/// <summary>
/// The generated part of a sequence regressor, in one element type: recurrent stack over the input series →
/// linear output at every step, mean squared error over the real steps; and its training step.
/// </summary>
public abstract class SequenceRegressorNetwork<T> : ModelNetwork<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Forward, then as far as <paramref name="pass"/> says; the mean squared error over the real steps (NaN for Predict).</summary>
    public abstract T Step(RegressionBatch batch, Pass pass, bool training);

    /// <summary>The outputs of the last forward pass, time-major [steps, rows, outputs] (padded positions hold anything).</summary>
    public Span<T> Outputs => Output.Result;
}
