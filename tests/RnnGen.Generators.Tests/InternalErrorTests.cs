using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Tests;

/// <summary>
/// RNNG011 cannot be reached from valid or invalid input; these tests drive the mechanism that
/// produces it: a stage that throws becomes a diagnostic on the cell, never a bare CS8785.
/// </summary>
public sealed class InternalErrorTests
{
    private static readonly LocationInfo CellLocation =
        new("Cell.cs", new TextSpan(40, 4), new LinePositionSpan(new LinePosition(3, 21), new LinePosition(3, 25)));

    private static readonly DiagnosticInfo Earlier =
        DiagnosticInfo.Create(DiagnosticDescriptors.UnusedParameter, null, "spare");

    private static CellModel Cell() => new(
        "Sample", EquatableArray<string>.Empty, "Broken", "public", "x",
        new[] { "h" }.ToEquatableArray(), EquatableArray<ParameterModel>.Empty, EquatableArray<Node>.Empty,
        EquatableArray<int>.Empty, EquatableArray<string>.Empty, CellLocation);

    [Fact]
    public void A_stage_that_throws_becomes_RNNG011_on_the_cell_with_the_exception_message()
    {
        var input = new StageResult<CellModel>(Cell(), new[] { Earlier }.ToEquatableArray());

        var result = Stage.Run<CellModel, string>(input, _ => throw new InvalidOperationException("node 7 has no operand"));

        Assert.Null(result.Value);
        Assert.Equal(2, result.Diagnostics.Count);
        Assert.Equal(Earlier, result.Diagnostics[0]);
        var diagnostic = result.Diagnostics[1].ToDiagnostic();
        Assert.Equal("RNNG011", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(CellLocation.LineSpan, diagnostic.Location.GetLineSpan().Span);
        Assert.Equal("Cell.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(
            "RnnGen failed while generating 'Broken': InvalidOperationException: node 7 has no operand. Please report this with the cell's declaration.",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_stage_that_succeeds_passes_its_value_and_the_earlier_diagnostics_on()
    {
        var input = new StageResult<CellModel>(Cell(), new[] { Earlier }.ToEquatableArray());

        var result = Stage.Run(input, cell => cell.TypeName + "!");

        Assert.Equal("Broken!", result.Value);
        Assert.Equal(new[] { Earlier }, result.Diagnostics);
    }

    [Fact]
    public void A_stage_after_an_error_does_not_run()
    {
        var input = new StageResult<CellModel>(null, new[] { Earlier }.ToEquatableArray());

        var result = Stage.Run<CellModel, string>(input, _ => throw new InvalidOperationException("must not run"));

        Assert.Null(result.Value);
        Assert.Equal(new[] { Earlier }, result.Diagnostics);
    }

    [Fact]
    public void Cancellation_is_not_turned_into_a_diagnostic()
    {
        var input = new StageResult<CellModel>(Cell(), EquatableArray<DiagnosticInfo>.Empty);

        Assert.Throws<OperationCanceledException>(() => Stage.Run<CellModel, string>(input, _ => throw new OperationCanceledException()));
    }
}
