using RnnGen.Generators.Model;

namespace RnnGen.Generators.Differentiation;

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
