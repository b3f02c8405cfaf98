using RnnGen.Generators.Model;

namespace RnnGen.Generators.Differentiation;

internal enum TermKind
{
    Adjoint,    // the adjoint of the node whose contribution this is
    Value,      // the forward value of node Id (in a table template: operand Id of the node, or the node itself when Id is -1)
    Parameter,  // a parameter read per column (in a template: the node's Id-th parameter; once instantiated: parameter Id)
    Constant,   // Number
    Apply,      // operation Op of the table applied to A (and B): rendered through its SIMD text
    Statistic,  // the row statistic Name of node Id (a mean over the hidden dimension, one scalar per row)
    RowMean,    // the mean of A over the row: only in the table's definitions of row statistics, never rendered
}

/// <summary>
/// A term of the math of a step: a tiny expression tree over the table's operations (docs/ARCHITECTURE.md, "an
/// operation"). The operation table writes derivatives as templates, whose values are the node's own operands,
/// result and parameters; the differentiator instantiates them on a node, and the emitter only renders them.
/// </summary>
internal sealed record Term(TermKind Kind, int Id = -1, double Number = 0, NodeKind Op = NodeKind.Identity,
    Term? A = null, Term? B = null, string? Name = null)
{
    public static Term Adj { get; } = new(TermKind.Adjoint);
    public static Term Val(int id) => new(TermKind.Value, id);
    public static Term Const(double value) => new(TermKind.Constant, Number: value);
    public static Term Apply(NodeKind op, Term a, Term? b = null) => new(TermKind.Apply, Op: op, A: a, B: b);
    public static Term operator +(Term a, Term b) => Apply(NodeKind.Add, a, b);
    public static Term operator *(Term a, Term b) => Apply(NodeKind.Multiply, a, b);
    public static Term operator -(Term a, Term b) => Apply(NodeKind.Subtract, a, b);
    public static Term operator -(Term a) => Apply(NodeKind.Negate, a);
    public static Term operator /(Term a, Term b) => Apply(NodeKind.Divide, a, b);

    // ---- What a table template is written in -------------------------------------------------

    /// <summary>Operand <paramref name="index"/> (0 is A, 1 is B) of the node.</summary>
    public static Term Operand(int index) => new(TermKind.Value, index);
    /// <summary>The node's own value.</summary>
    public static Term Result { get; } = new(TermKind.Value);
    /// <summary>The node's parameter <paramref name="index"/> (0 is Param, 1 is Param2), read per column.</summary>
    public static Term Param(int index) => new(TermKind.Parameter, index);
    /// <summary>The node's row statistic of this name.</summary>
    public static Term Stat(string name) => new(TermKind.Statistic, Name: name);
    /// <summary>The mean over the row of a term.</summary>
    public static Term Mean(Term a) => new(TermKind.RowMean, A: a);

    /// <summary>Whether this term or any term inside it satisfies <paramref name="predicate"/>.</summary>
    public bool Reads(System.Func<Term, bool> predicate) =>
        predicate(this) || (A?.Reads(predicate) ?? false) || (B?.Reads(predicate) ?? false);

    /// <summary>The template made concrete on one node: operands, result, parameters and statistics become that node's.</summary>
    public Term On(Node node) => Kind switch
    {
        TermKind.Value => Val(Id switch { -1 => node.Id, 0 => node.A, _ => node.B }),
        TermKind.Parameter => this with { Id = Id == 0 ? node.Param : node.Param2 },
        TermKind.Statistic => this with { Id = node.Id },
        _ => this with { A = A?.On(node), B = B?.On(node) },
    };
}
