namespace RnnGen.Inference;

/// <summary>
/// A layer's step in float32 through its generated cell: <see cref="IRecurrentCell.Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, CellTape{float}, int, int)"/>
/// with one step, the very call a model's forward pass makes, so that a session gives the model's bits.
/// </summary>
/// <remarks>
/// The cell is the session's own instance, with its own tape (where the recurrence driver keeps a call's buffers); the weights are read
/// from the model's store at every step, never copied. The next states go to a second buffer, swapped in afterwards,
/// so the cell never reads and writes one span in the same call.
/// </remarks>
internal sealed class CellLayerStep : LayerStep
{
    private readonly IRecurrentCell _cell;
    private readonly ParameterStore<float> _store;
    private readonly int _offset;
    private readonly CellTape<float> _tape = new();
    private readonly float[] _output;
    private float[] _next;

    public CellLayerStep(IRecurrentCell cell, ParameterStore<float> store, int offset, int batch)
        : base(cell.InputSize, cell.HiddenSize, cell.StateCount, batch)
    {
        _cell = cell;
        _store = store;
        _offset = offset;
        _output = new float[batch * cell.HiddenSize];
        _next = new float[State.Length];
    }

    public override ReadOnlySpan<float> Step(ReadOnlySpan<float> x)
    {
        _cell.Forward(_store.Value(_offset, _cell.ParameterCount), x, State, _output, _next, _tape, 1, Batch);
        (State, _next) = (_next, State);
        return _output;
    }
}
