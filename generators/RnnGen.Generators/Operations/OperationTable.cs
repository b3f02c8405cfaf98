using System;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using static RnnGen.Generators.Differentiation.Term;

namespace RnnGen.Generators.Operations;

/// <summary>
/// The operations of the DSL and of the IR, one entry each: the only place that says what an operation is called,
/// how it folds, what its derivative is, which SIMD call computes it and what its ONNX form is. To add one, add an
/// entry here, its member of <c>NodeKind</c>, its method on <c>RnnGen.Ops</c> and its SIMD bodies
/// (docs/ARCHITECTURE.md, "Where to add things: an operation").
/// </summary>
internal static class OperationTable
{
    private static readonly Term One = Const(1);
    private static Derivative ToOperand(int index, Term term) => new(DerivativeTarget.Operand, index, term);
    private static Derivative ToParameter(int index, Term term) => new(DerivativeTarget.Parameter, index, term);

    // LayerNorm(v, g, b) = xhat * g + b with xhat = (v - mean) * rstd, over the row.
    private static readonly Term NormHat = (Operand(0) - Stat("Mean")) * Stat("Rstd");

    public static IReadOnlyList<Operation> All { get; } = new Operation[]
    {
        // ---- Leaves: read before a step's elementwise math; their adjoints leave the passes (see the emitter).
        new(NodeKind.Input) { CellOp = "Input" },
        new(NodeKind.State) { CellOp = "State" },
        new(NodeKind.Bias) { CellOp = "Bias" },
        new(NodeKind.Constant) { CellOp = "Constant" },
        // A weight times a vector: a matrix product planned in groups, not a pass; its operand's adjoint is Wᵀ · adjoint.
        new(NodeKind.MatVec) { Arity = 1, CellOp = "MatVec", Onnx = "MatMul" },

        // ---- Elementwise, over the hidden dimension.
        new(NodeKind.Add)
        {
            DslName = "+", Syntax = Syntax.Infix, Arity = 2, Fold = (a, b) => a + b, Simd = "{0} + {1}", Precedence = 1, Associative = true,
            Derivatives = new[] { ToOperand(0, Adj), ToOperand(1, Adj) }, CellOp = "Add", Onnx = "Add",
        },
        new(NodeKind.Subtract)
        {
            DslName = "-", Syntax = Syntax.Infix, Arity = 2, Fold = (a, b) => a - b, Simd = "{0} - {1}", Precedence = 1,
            Derivatives = new[] { ToOperand(0, Adj), ToOperand(1, -Adj) }, CellOp = "Subtract", Onnx = "Sub",
        },
        new(NodeKind.Multiply)
        {
            DslName = "*", Syntax = Syntax.Infix, Arity = 2, Fold = (a, b) => a * b, Simd = "{0} * {1}", Precedence = 2, Associative = true,
            Derivatives = new[] { ToOperand(0, Adj * Operand(1)), ToOperand(1, Adj * Operand(0)) }, CellOp = "Multiply", Onnx = "Mul",
        },
        new(NodeKind.Negate)
        {
            DslName = "-", Syntax = Syntax.Prefix, Arity = 1, Fold = (a, _) => -a, Simd = "-{0}", Precedence = 3,
            Derivatives = new[] { ToOperand(0, -Adj) }, CellOp = "Negate", Onnx = "Neg",
        },
        new(NodeKind.Sigmoid) // s' = s (1 - s), from the output
        {
            DslName = "Sigmoid", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => 1 / (1 + Math.Exp(-a)), Simd = "TV.Sigmoid({0})",
            Derivatives = new[] { ToOperand(0, Adj * Result * (One - Result)) }, CellOp = "Sigmoid", Onnx = "Sigmoid",
        },
        new(NodeKind.Tanh) // tanh' = 1 - tanh², from the output
        {
            DslName = "Tanh", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Tanh(a), Simd = "TV.Tanh({0})",
            Derivatives = new[] { ToOperand(0, Adj * (One - Result * Result)) }, CellOp = "Tanh", Onnx = "Tanh",
        },
        new(NodeKind.Relu) // 1 where the output is positive
        {
            DslName = "Relu", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Max(a, 0), Simd = "TV.Relu({0})",
            Derivatives = new[] { ToOperand(0, Adj * Apply(NodeKind.Positive, Result)) }, CellOp = "Relu", Onnx = "Relu",
        },
        new(NodeKind.Exp)
        {
            DslName = "Exp", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Exp(a), Simd = "TV.Exp({0})",
            Derivatives = new[] { ToOperand(0, Adj * Result) }, CellOp = "Exp", Onnx = "Exp",
        },
        // a / b: its operands' adjoints are dy / b and -dy · (a / b) / b, the second read off the result.
        new(NodeKind.Divide)
        {
            DslName = "/", Syntax = Syntax.Infix, Arity = 2, Fold = (a, b) => a / b, Simd = "{0} / {1}", Precedence = 2,
            Derivatives = new[] { ToOperand(0, Adj / Operand(1)), ToOperand(1, -(Adj * Result) / Operand(1)) }, Onnx = "Div",
        },
        // Max and Min send the whole adjoint to the operand they chose; on a tie that is the first.
        new(NodeKind.Max)
        {
            DslName = "Max", Syntax = Syntax.Call, Arity = 2, Fold = (a, b) => Math.Max(a, b), Simd = "TV.Max({0}, {1})",
            Derivatives = new[]
            {
                ToOperand(0, Adj * Apply(NodeKind.GreaterOrEqual, Operand(0), Operand(1))),
                ToOperand(1, Adj * (One - Apply(NodeKind.GreaterOrEqual, Operand(0), Operand(1)))),
            },
            Onnx = "Max",
        },
        new(NodeKind.Min)
        {
            DslName = "Min", Syntax = Syntax.Call, Arity = 2, Fold = (a, b) => Math.Min(a, b), Simd = "TV.Min({0}, {1})",
            Derivatives = new[]
            {
                ToOperand(0, Adj * Apply(NodeKind.GreaterOrEqual, Operand(1), Operand(0))),
                ToOperand(1, Adj * (One - Apply(NodeKind.GreaterOrEqual, Operand(1), Operand(0)))),
            },
            Onnx = "Min",
        },
        new(NodeKind.Softplus) // log(1 + e^a), whose derivative is the sigmoid
        {
            DslName = "Softplus", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Max(a, 0) + Math.Log(1 + Math.Exp(-Math.Abs(a))),
            Simd = "TV.Softplus({0})", Derivatives = new[] { ToOperand(0, Adj * Apply(NodeKind.Sigmoid, Operand(0))) }, Onnx = "Softplus",
        },
        new(NodeKind.Log) // log' = 1 / a
        {
            DslName = "Log", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Log(a), Simd = "TV.Log({0})",
            Derivatives = new[] { ToOperand(0, Adj / Operand(0)) }, Onnx = "Log",
        },
        // log σ(a) = -softplus(-a), whose derivative is σ(-a); ONNX has no operator of its own for it.
        new(NodeKind.LogSigmoid)
        {
            DslName = "LogSigmoid", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Min(a, 0) - Math.Log(1 + Math.Exp(-Math.Abs(a))),
            Simd = "TV.LogSigmoid({0})", Derivatives = new[] { ToOperand(0, Adj * Apply(NodeKind.Sigmoid, -Operand(0))) }, Onnx = "Neg | Softplus | Neg",
        },
        new(NodeKind.Sqrt) // sqrt' = 1 / (2 sqrt a), from the output
        {
            DslName = "Sqrt", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Sqrt(a), Simd = "TV.Sqrt({0})",
            Derivatives = new[] { ToOperand(0, Const(0.5) * Adj / Result) }, Onnx = "Sqrt",
        },
        new(NodeKind.Abs) // |a|' = sign(a), taken as 0 at 0 (as PyTorch does)
        {
            DslName = "Abs", Syntax = Syntax.Call, Arity = 1, Fold = (a, _) => Math.Abs(a), Simd = "TV.Abs({0})",
            Derivatives = new[] { ToOperand(0, Adj * Apply(NodeKind.Sign, Operand(0))) }, Onnx = "Abs",
        },
        // LayerNorm(v, gain, bias) over the row, biased variance, epsilon 1e-5 (PyTorch's default). The runtime driver
        // computes the row statistics with RnnGen.Kernels.RowNorm; everything else about it is these terms. Its input's
        // adjoint reads two means of the adjoint, M1 and M2, so it is added in the input's own segment.
        new(NodeKind.LayerNorm)
        {
            DslName = "LayerNorm", Syntax = Syntax.Call, Arity = 1, Parameters = 2, ParameterInit = new[] { 1.0, 0.0 },
            Forward = NormHat * Param(0) + Param(1),
            Statistics = new[]
            {
                new RowStatistic("Mean", Backward: false, Mean(Operand(0)), Frame: "Means"),
                new RowStatistic("Rstd", Backward: false, null, Frame: "Rstds"), // 1 / sqrt(mean((v - Mean)²) + 1e-5)
                new RowStatistic("M1", Backward: true, Mean(Adj * Param(0)), Frame: "NormSums"),
                new RowStatistic("M2", Backward: true, Mean(Adj * Param(0) * NormHat), Frame: "NormSums"),
            },
            Derivatives = new[]
            {
                ToParameter(0, Adj * (Operand(0) - Stat("Mean")) * Stat("Rstd")),
                ToParameter(1, Adj),
                ToOperand(0, Stat("Rstd") * (Adj * Param(0) - Stat("M1") - NormHat * Stat("M2"))),
            },
            CellOp = "LayerNorm", Onnx = "LayerNormalization axis=-1 epsilon=1e-05",
        },
        // A copy that materialises a leaf where an elementwise value is required (Planning/Normalizer).
        new(NodeKind.Identity) { Arity = 1, Simd = "{0}", Derivatives = new[] { ToOperand(0, Adj) }, CellOp = "Identity", Onnx = "Identity" },
        // The next value of a state.
        new(NodeKind.Output) { Arity = 1, Simd = "{0}", Derivatives = new[] { ToOperand(0, Adj) }, CellOp = "Output", Onnx = "Identity" },

        // ---- Functions that only derivatives use.
        new(NodeKind.Positive) { Arity = 1, Fold = (a, _) => a > 0 ? 1 : 0, Simd = "TV.Positive({0})", TermOnly = true },
        new(NodeKind.GreaterOrEqual) { Arity = 2, Fold = (a, b) => a >= b ? 1 : 0, Simd = "TV.GreaterOrEqual({0}, {1})", TermOnly = true },
        new(NodeKind.Sign) { Arity = 1, Fold = (a, _) => Math.Sign(a), Simd = "TV.Sign({0})", TermOnly = true },
    };

    private static readonly Dictionary<NodeKind, Operation> ByKind = All.ToDictionary(o => o.Kind);

    public static Operation Of(NodeKind kind) =>
        ByKind.TryGetValue(kind, out var op) ? op : throw new InvalidOperationException($"operation {kind} has no entry in the operation table");

    /// <summary>The operation a DSL token or RnnGen.Ops method names, written the given way, or null.</summary>
    public static Operation? Named(string name, Syntax syntax) => All.FirstOrDefault(o => o.Syntax == syntax && o.DslName == name);

    /// <summary>The RnnGen.Ops functions, in table order, for messages.</summary>
    public static IEnumerable<string> Functions => All.Where(o => o.Syntax == Syntax.Call).Select(o => o.DslName!);

    /// <summary>The infix operators, in table order, for messages.</summary>
    public static IEnumerable<string> Operators => All.Where(o => o.Syntax == Syntax.Infix).Select(o => o.DslName!);

    /// <summary>Whether an instantiated term reads a statistic of the adjoint's row, so it waits for the whole row.</summary>
    public static bool ReadsAdjointRow(Term term, IReadOnlyList<Node> nodes) =>
        term.Reads(t => t.Kind == TermKind.Statistic && Of(nodes[t.Id].Kind).Statistics.Any(s => s.Name == t.Name && s.Backward));
}
