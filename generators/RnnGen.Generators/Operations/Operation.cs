using System;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Operations;

/// <summary>How an operation is written in a Step method.</summary>
internal enum Syntax
{
    None,       // not written by a user: a leaf, or a node the generator makes (Identity, Output), or a term-only function
    Infix,      // a binary operator: a + b
    Prefix,     // a unary operator: -a
    Call,       // a function of RnnGen.Ops: Sigmoid(a), LayerNorm(v, gain, bias)
}

/// <summary>Where a local derivative goes: operand A or B of the node, or one of its parameters' gradients.</summary>
internal enum DerivativeTarget { Operand, Parameter }

/// <summary>
/// One partial derivative of an operation: what the node adds to the adjoint of its operand (or to the gradient of its
/// parameter) <see cref="Index"/>, as a template term over the node's adjoint, operands, result, parameters and
/// row statistics.
/// </summary>
internal sealed record Derivative(DerivativeTarget Target, int Index, Term Term);

/// <summary>
/// A scalar per row that an operation needs besides its operands, such as LayerNorm's mean. The runtime driver computes
/// it between two segments of a pass (RnnGen.Recurrence.RecurrenceDriver, through RnnGen.Kernels.RowNorm: the one
/// runtime place of these sums) and keeps it in the frame's buffer <see cref="Frame"/>, one per node: a forward
/// statistic per row of the sequence batch, a backward one per row of the batch; statistics that share a buffer lie
/// side by side in each row, in table order. <see cref="Definition"/> is what the driver computes, as a term (a
/// <see cref="TermKind.RowMean"/>), which the tests hold RowNorm to; null where the term language cannot yet say it
/// (a reciprocal square root). <see cref="Backward"/> statistics are means of the adjoint, so a derivative that
/// reads one is added after the adjoints of the whole row are known, in the operand's own segment.
/// </summary>
internal sealed record RowStatistic(string Name, bool Backward, Term? Definition, string Frame);

/// <summary>
/// Everything the generator knows about one operation of the IR, in one place (docs/ARCHITECTURE.md, "Where to add
/// things: an operation"). Parsing reads <see cref="DslName"/>, <see cref="Syntax"/>, the arity and
/// <see cref="Fold"/>; differentiation reads <see cref="Derivatives"/>; the emitter renders <see cref="Simd"/> (or
/// <see cref="Forward"/>) and the derivatives; the ONNX step graph takes <see cref="CellOp"/> and <see cref="Onnx"/>.
/// </summary>
internal sealed class Operation
{
    public Operation(NodeKind kind) => Kind = kind;

    public NodeKind Kind { get; }
    /// <summary>The name in the DSL: the operator token ("+") or the method of RnnGen.Ops ("Sigmoid"); null when not written.</summary>
    public string? DslName { get; init; }
    public Syntax Syntax { get; init; }
    /// <summary>How many vector operands it takes (A, then B).</summary>
    public int Arity { get; init; }
    /// <summary>How many Bias fields it takes after its vector operands (Param, then Param2).</summary>
    public int Parameters { get; init; }
    /// <summary>The initial value of each of its parameters (LayerNorm's gain starts at one, its bias at zero).</summary>
    public double[] ParameterInit { get; init; } = Array.Empty<double>();
    /// <summary>The value on scalars (operands all constants): folded at parse time, and the scalar meaning the tests
    /// check the derivatives against. Null for an operation that is not elementwise on scalars.</summary>
    public Func<double, double, double>? Fold { get; init; }
    /// <summary>The C# of the forward value in a fused pass over <c>TV</c> vectors: {0} and {1} are the operands.</summary>
    public string? Simd { get; init; }
    /// <summary>For an operation that is not one SIMD call (LayerNorm): its forward value as a template term.</summary>
    public Term? Forward { get; init; }
    /// <summary>How tightly its SIMD text binds, for parentheses when a term nests it: 1 additive, 2 multiplicative,
    /// 3 a prefix operator, 4 a call or a name.</summary>
    public int Precedence { get; init; } = 4;
    /// <summary>Whether a (b op c) reads as (a op b) op c, so that DSL text needs no parentheses on its right.</summary>
    public bool Associative { get; init; }
    public Derivative[] Derivatives { get; init; } = Array.Empty<Derivative>();
    public RowStatistic[] Statistics { get; init; } = Array.Empty<RowStatistic>();
    /// <summary>Whether the operation reduces over the row: it starts a segment of its pass (Planning/Planner).</summary>
    public bool IsRowwise => Statistics.Length > 0;
    /// <summary>The member of RnnGen.Onnx.CellOp the step graph names it by; null for an operation added after that
    /// enum was fixed, which is written <c>CellOp.Elementwise</c> and is exported from <see cref="Onnx"/> alone.</summary>
    public string? CellOp { get; init; }
    /// <summary>Its ONNX form: an operator applied to the node's operands then its parameters, with attributes
    /// written <c>name=value</c> ("LayerNormalization axis=-1 epsilon=1e-05"), or unary operators chained after it with
    /// " | ", each applied to the value before ("Neg | Softplus | Neg"). Null for a leaf, which the export
    /// reads from the scan's inputs or the weights, and for a term-only function.</summary>
    public string? Onnx { get; init; }
    /// <summary>A function used only inside derivative terms (never a node of a cell): it needs SIMD text, nothing else.</summary>
    public bool TermOnly { get; init; }

    public bool IsLeaf => Kind is NodeKind.Input or NodeKind.State or NodeKind.Bias or NodeKind.Constant or NodeKind.MatVec;
}
