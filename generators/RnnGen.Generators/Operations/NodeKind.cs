namespace RnnGen.Generators.Model;

// Beside the operation table on purpose: a new operation is a member here and an entry in OperationTable, in one folder.
// (The namespace stays the IR's, which every stage reads.)

/// <summary>
/// The operations of the cell IR. Leaves read a value that exists before a step's elementwise math runs. What each
/// one means, folds to, differentiates to and is emitted as is its entry in <c>Operations/OperationTable</c>.
/// </summary>
internal enum NodeKind
{
    // Leaves
    Input,      // the cell's input x at this step
    State,      // state StateIndex at the start of this step
    Bias,       // a Bias parameter (Param)
    Constant,   // a scalar literal (Value)
    MatVec,     // Param (a Weight) times operand A: computed by a matrix product, not elementwise

    // Elementwise, over the hidden dimension
    Add, Subtract, Multiply, Negate,
    Sigmoid, Tanh, Relu, Exp,
    Divide,
    Max, Min,   // elementwise; the gradient goes to the larger (the smaller), a tie to the first operand
    Softplus, Log, LogSigmoid, Sqrt, Abs,
    LayerNorm,  // LayerNorm(A) with gain Param and bias Param2: a reduction over the row
    Identity,   // a copy: materialises a leaf where an elementwise value is required
    Output,     // the next value of state StateIndex

    // Functions that only derivative terms use, never a node of a cell
    Positive,   // 1 where A is positive, else 0
    GreaterOrEqual, // 1 where A >= B, else 0: which operand of Max or Min takes the gradient
    Sign,       // -1, 0 or 1 by the sign of A: the derivative of Abs (0 at 0)
}
