using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>
/// Evaluates a template term of the operation table on numbers, one row at a time: each operation by its Fold (the
/// table's own scalar meaning), so that a derivative can be checked against finite differences of that same meaning.
/// </summary>
internal sealed class TermEvaluator
{
    public required double[][] Operands { get; init; }        // per operand index, a row
    public double[]? Result { get; init; }
    public double[][] Parameters { get; init; } = Array.Empty<double[]>();
    public double[]? Adjoint { get; init; }
    public Dictionary<string, double> Statistics { get; init; } = new();

    public double At(Term term, int j) => term.Kind switch
    {
        TermKind.Adjoint => Adjoint![j],
        TermKind.Value => term.Id < 0 ? Result![j] : Operands[term.Id][j],
        TermKind.Parameter => Parameters[term.Id][j],
        TermKind.Constant => term.Number,
        TermKind.Statistic => Statistics[term.Name!],
        TermKind.Apply => OperationTable.Of(term.Op).Fold!(At(term.A!, j), term.B is null ? 0 : At(term.B, j)),
        TermKind.RowMean => Enumerable.Range(0, Width).Average(k => At(term.A!, k)),
        _ => throw new InvalidOperationException(term.Kind.ToString()),
    };

    private int Width => Operands[0].Length;
}
