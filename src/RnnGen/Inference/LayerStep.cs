namespace RnnGen.Inference;

/// <summary>
/// One recurrent layer advancing a fixed batch of rows by one token: x [batch, input] and the rows' states in,
/// the new states and the layer's output [batch, hidden] out. The seam between a session and the code that runs a
/// layer: today <see cref="CellLayerStep"/> calls the generated cell; a step that splits the whole layer over the
/// cores, or multiplies by quantized weights, derives from this class too and the session does not change.
/// </summary>
internal abstract class LayerStep : IDisposable
{
    protected LayerStep(int inputSize, int hiddenSize, int stateCount, int batch)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        StateCount = stateCount;
        Batch = batch;
        State = new float[stateCount * batch * hiddenSize];
    }

    public int InputSize { get; }
    public int HiddenSize { get; }
    public int StateCount { get; }
    public int Batch { get; }

    /// <summary>
    /// The rows' current states, [states, batch, hidden] as <see cref="IRecurrentCell"/> lays them out (zeros start a
    /// sequence). A step may replace the array with another of the same length (double buffering).
    /// </summary>
    protected float[] State { get; set; }

    /// <summary>Advances every row by one step from x [batch, input]; returns the layer's output [batch, hidden], valid until the next call.</summary>
    public abstract ReadOnlySpan<float> Step(ReadOnlySpan<float> x);

    /// <summary>Zeroes the states of <paramref name="row"/>: its next step starts a fresh sequence.</summary>
    public void Reset(int row)
    {
        for (int s = 0; s < StateCount; s++)
            State.AsSpan((s * Batch + row) * HiddenSize, HiddenSize).Clear();
    }

    /// <summary>Zeroes every row's states.</summary>
    public void Reset() => Array.Clear(State);

    /// <summary>Releases what the step holds beyond managed memory (threads, pinned buffers); nothing for a cell's step.</summary>
    public virtual void Dispose()
    {
    }
}
