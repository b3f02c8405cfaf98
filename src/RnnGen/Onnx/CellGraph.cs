namespace RnnGen.Onnx;

/// <summary>
/// A cell whose step the generator also wrote down as data (<see cref="StepGraph"/>), from the same IR as its fast
/// passes: what the ONNX export turns into the body of a Scan for cells that have no ONNX operator of their own.
/// </summary>
public interface IExportableCell
{
    CellGraph StepGraph { get; }
}

/// <summary>The operations of a cell's step; the leaves read a value that exists before the step's elementwise math.</summary>
public enum CellOp
{
    /// <summary>The cell's input x at this step, [input].</summary>
    Input,
    /// <summary>State <see cref="CellNode.State"/> at the start of the step, [hidden].</summary>
    State,
    /// <summary>A bias parameter, [hidden].</summary>
    Bias,
    /// <summary>A scalar, <see cref="CellNode.Value"/>.</summary>
    Constant,
    /// <summary>A weight [hidden, columns] times operand A.</summary>
    MatVec,
    Add,
    Subtract,
    Multiply,
    Negate,
    Sigmoid,
    Tanh,
    Relu,
    Exp,
    /// <summary>Layer normalization of A over the row (biased variance, epsilon 1e-5), gain Parameter and bias Parameter2.</summary>
    LayerNorm,
    Identity,
    /// <summary>The next value of state <see cref="CellNode.State"/>: operand A.</summary>
    Output,
    /// <summary>An elementwise operation added to the DSL after this list was fixed: <see cref="CellNode.Operator"/> is its ONNX form.</summary>
    Elementwise,
}

/// <summary>
/// One value of the step. Operands and parameters are indices (into the nodes and the parameters); -1 when unused.
/// <see cref="Operator"/> is the node's ONNX form, from the generator's operation table: an ONNX operator applied to
/// A, B, then the parameters, with attributes written <c>name=value</c> (<c>"LayerNormalization axis=-1 epsilon=1e-05"</c>),
/// or a chain of such operators joined by <c>" | "</c>, each applied to the value before it (<c>"Neg | Softplus | Neg"</c>);
/// null for a leaf that the Scan reads (the input, a state, a bias, a constant).
/// </summary>
public sealed record CellNode(CellOp Op, int A = -1, int B = -1, int Parameter = -1, int Parameter2 = -1, int State = -1, double Value = 0,
    string? Operator = null);

/// <summary>How many columns a parameter has: a bias one, a weight the input's size or the hidden size.</summary>
public enum CellColumns { One, Input, Hidden }

/// <summary>A learned field of the cell: its name, its columns (every parameter has hidden-size rows), its place in the flat span's order.</summary>
public sealed record CellField(string Name, CellColumns Columns, int Order);

/// <summary>
/// A cell's step as data: nodes in evaluation order (every operand before its user), the output node of each state
/// in state order, and the fields, laid out in the flat parameter span by <see cref="CellField.Order"/>.
/// </summary>
public sealed record CellGraph(IReadOnlyList<CellNode> Nodes, IReadOnlyList<int> Outputs, IReadOnlyList<CellField> Fields)
{
    /// <summary>Where each field starts in the flat parameter span of a cell of these sizes.</summary>
    public int[] Offsets(int inputSize, int hiddenSize)
    {
        var offsets = new int[Fields.Count];
        int at = 0;
        foreach (int i in Enumerable.Range(0, Fields.Count).OrderBy(i => Fields[i].Order))
        {
            offsets[i] = at;
            at += hiddenSize * Columns(i, inputSize, hiddenSize);
        }
        return offsets;
    }

    public int Columns(int field, int inputSize, int hiddenSize) => Fields[field].Columns switch
    {
        CellColumns.One => 1,
        CellColumns.Input => inputSize,
        _ => hiddenSize,
    };
}
