using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// The states of every layer of a <see cref="RecurrentStack{T}"/> for a fixed number of rows, carried from one
/// window of a stream to the next (truncated backpropagation through time).
/// </summary>
public class RecurrentState<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    internal RecurrentState(int batchSize, IEnumerable<IRecurrentCell> layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        BatchSize = batchSize;
        var cells = layers.ToArray();
        Layers = cells.Select(c => new T[c.StateCount * batchSize * c.HiddenSize]).ToArray();
        Shapes = cells.Select(c => (c.StateCount, c.HiddenSize)).ToArray();
    }

    public int BatchSize { get; }
    /// <summary>Per layer, its states [stateCount, batch, hidden].</summary>
    internal T[][] Layers { get; }
    /// <summary>Per layer, how many states it carries and their width: the outer and inner sizes of <see cref="Layers"/>.</summary>
    internal (int States, int Hidden)[] Shapes { get; }
    /// <summary>Whether the state holds anything yet; a fresh state starts from zeros.</summary>
    public bool IsZero { get; internal set; } = true;

    /// <summary>Back to zeros, as at the start of an epoch.</summary>
    public void Reset()
    {
        foreach (var layer in Layers) Array.Clear(layer);
        IsZero = true;
    }
}
