namespace RnnGen;

/// <summary>
/// A recurrent layer of given input and hidden sizes, run over whole sequence batches. The source
/// generator implements it on every <see cref="RecurrentCellAttribute"/> class.
/// </summary>
/// <remarks>
/// Layout is time-major: inputs are [steps, batch, input], outputs are [steps, batch, hidden] (the
/// first state after each step), states are [stateCount, batch, hidden]. Parameters live in one flat
/// span laid out as <see cref="Parameters"/> says. An instance keeps scratch buffers between calls,
/// so it is not safe to use from two threads at once.
/// </remarks>
public interface IRecurrentCell
{
    int InputSize { get; }
    int HiddenSize { get; }
    /// <summary>The number of recurrent states (1 for GRU, 2 for LSTM: h then c), counting after the Step method's own
    /// the states the generator adds for <c>Ops.Prev</c>, which carry the previous input (or its product by a weight).</summary>
    int StateCount { get; }
    /// <summary>The learned tensors, in the order of the flat parameter span.</summary>
    IReadOnlyList<CellParameter> Parameters { get; }
    /// <summary>The length of the flat parameter span.</summary>
    int ParameterCount { get; }

    /// <summary>Fills the flat parameter span with the cell's initial values (PyTorch's uniform(-1/sqrt(H), 1/sqrt(H)); layer-norm gains one, their biases zero).</summary>
    void Initialize(Span<float> parameters, Random random);
    /// <inheritdoc cref="Initialize(Span{float}, Random)"/>
    void Initialize(Span<double> parameters, Random random);

    /// <summary>
    /// Runs the cell over <paramref name="steps"/> steps of <paramref name="batch"/> sequences and records
    /// in <paramref name="tape"/> what <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, CellTape{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float})"/> needs.
    /// An empty <paramref name="initialStates"/> means zero states; an empty <paramref name="finalStates"/> skips them.
    /// </summary>
    void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> initialStates,
        Span<float> outputs, Span<float> finalStates, CellTape<float> tape, int steps, int batch);
    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, CellTape{float}, int, int)"/>
    void Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> initialStates,
        Span<double> outputs, Span<double> finalStates, CellTape<double> tape, int steps, int batch);

    /// <summary>
    /// Backpropagation through time over the sequence last run by <c>Forward</c> with the same tape.
    /// Adds the parameter gradients to <paramref name="parameterGradients"/>; overwrites
    /// <paramref name="inputGradients"/> and <paramref name="initialStateGradients"/> (when not empty).
    /// <paramref name="finalStateGradients"/> may be empty (zero).
    /// </summary>
    void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, CellTape<float> tape,
        ReadOnlySpan<float> outputGradients, ReadOnlySpan<float> finalStateGradients,
        Span<float> parameterGradients, Span<float> inputGradients, Span<float> initialStateGradients);
    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, CellTape{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float})"/>
    void Backward(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, CellTape<double> tape,
        ReadOnlySpan<double> outputGradients, ReadOnlySpan<double> finalStateGradients,
        Span<double> parameterGradients, Span<double> inputGradients, Span<double> initialStateGradients);
}

/// <summary>One learned tensor of a cell: its name (a field or a <see cref="PackedAttribute"/> name), shape and place in the flat span.</summary>
public sealed record CellParameter(string Name, int Rows, int Columns, int Offset)
{
    /// <summary>Rows x columns; a bias has one column and is reported with shape [rows].</summary>
    public int Length => Rows * Columns;
    public bool IsVector => Columns == 1;
    public int[] Shape => IsVector ? [Rows] : [Rows, Columns];
}
