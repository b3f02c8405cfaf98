namespace RnnGen.Models;

/// <summary>A <see cref="SequenceTaggerAttribute"/> class derives from it; the generator writes its network.</summary>
public abstract class SequenceTagger
{
    protected SequenceTagger(int vocabSize, int seed) => _ = CreateNetwork<float>(vocabSize, seed);

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract SequenceTaggerNetwork<T> CreateNetwork<T>(int vocabSize, int seed) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;
}
