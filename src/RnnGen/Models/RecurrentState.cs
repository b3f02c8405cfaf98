namespace RnnGen.Models;

/// <summary>
/// The states of every layer of a language model for a fixed number of rows, carried from one window
/// of a token stream to the next (truncated backpropagation through time).
/// </summary>
public sealed class RecurrentState
{
    internal RecurrentState(int batchSize, IReadOnlyList<LayerDefinition> layers)
    {
        BatchSize = batchSize;
        Layers = layers.Select(l => new float[l.Cell.StateCount * batchSize * l.Cell.HiddenSize]).ToArray();
    }

    public int BatchSize { get; }
    /// <summary>Per layer, its states [stateCount, batch, hidden].</summary>
    internal float[][] Layers { get; }
    /// <summary>Whether the state holds anything yet; a fresh state starts from zeros.</summary>
    public bool IsZero { get; internal set; } = true;

    /// <summary>Back to zeros, as at the start of an epoch.</summary>
    public void Reset()
    {
        foreach (var layer in Layers) Array.Clear(layer);
        IsZero = true;
    }
}
