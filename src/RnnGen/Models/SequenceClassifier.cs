namespace RnnGen.Models;

/// <summary>A <see cref="SequenceClassifierAttribute"/> class derives from it; the generator writes its network.</summary>
public abstract class SequenceClassifier
{
    protected SequenceClassifier(int vocabSize, int seed) => _ = CreateNetwork<float>(vocabSize, seed);

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract SequenceClassifierNetwork<T> CreateNetwork<T>(int vocabSize, int seed) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;
}
