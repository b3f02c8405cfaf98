using RnnGen.Generators.Model;

namespace RnnGen.Generators.Differentiation;

internal enum TermKind
{
    Adjoint,    // the adjoint of the node being differentiated
    Value,      // the forward value of node Id
    Constant,   // Value
    Multiply, Subtract, Negate,
    Positive,   // 1 where the value of node Id is positive, else 0
    NormHat,    // the normalised input of LayerNorm node Id: (v - mean) * rstd
    NormInput,  // the adjoint LayerNorm node Id sends to its input: rstd * (dy*g - mean(dy*g) - xhat*mean(dy*g*xhat))
}

/// <summary>A term of a partial derivative: a tiny expression tree that the emitter renders as code.</summary>
internal sealed record Term(TermKind Kind, int Id = -1, double Value = 0, Term? A = null, Term? B = null)
{
    public static Term Adj { get; } = new(TermKind.Adjoint);
    public static Term Val(int id) => new(TermKind.Value, id);
    public static Term Const(double value) => new(TermKind.Constant, Value: value);
    public static Term operator *(Term a, Term b) => new(TermKind.Multiply, A: a, B: b);
    public static Term operator -(Term a, Term b) => new(TermKind.Subtract, A: a, B: b);
    public static Term operator -(Term a) => new(TermKind.Negate, A: a);
}

/// <summary>
/// What node <see cref="From"/> adds to the adjoint of one operand (<see cref="ToNode"/>) or, for a
/// LayerNorm's gain and bias, straight to a parameter's gradient (<see cref="ToParam"/>).
/// </summary>
internal sealed record Contribution(int From, int ToNode, int ToParam, Term Term);

/// <summary>The reverse-mode derivative of a cell: every elementwise node's contributions, in node order.</summary>
internal sealed record CellGradient(CellModel Cell, EquatableArray<Contribution> Contributions) : ISourceDeclared
{
    public string TypeName => Cell.TypeName;
    public LocationInfo? Location => Cell.Location;
}
