namespace RnnGen.Models;

/// <summary>A <see cref="SequenceRegressorAttribute"/> class derives from it; the generator writes its network.</summary>
public abstract class SequenceRegressor
{
    protected SequenceRegressor(int seed) => _ = CreateNetwork<float>(seed);

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract SequenceRegressorNetwork<T> CreateNetwork<T>(int seed) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;
}
