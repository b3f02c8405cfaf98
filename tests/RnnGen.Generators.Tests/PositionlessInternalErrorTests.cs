using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Tests;

/// <summary>
/// RNNG011 from a stage that sees no source positions (Differentiate, Plan, Emit): the stage names the cell, and the
/// output step places the diagnostic on the cell's declaration from the positioned stages' places.
/// </summary>
public sealed class PositionlessInternalErrorTests
{
    private static readonly LocationInfo CellLocation =
        new("Cell.cs", new TextSpan(40, 4), new LinePositionSpan(new LinePosition(3, 21), new LinePosition(3, 25)));

    private static CellModel Cell(string ns) => new(
        ns, new[] { "Outer" }.ToEquatableArray(), "Broken", "public", "x",
        new[] { "h" }.ToEquatableArray(), EquatableArray<ParameterModel>.Empty, EquatableArray<Node>.Empty,
        EquatableArray<int>.Empty, EquatableArray<string>.Empty, CellLocation);

    [Fact]
    public void A_positionless_stage_that_throws_names_the_cell_instead_of_a_location()
    {
        var input = new StageResult<CellModel>(Cell("Sample").WithoutPositions(), EquatableArray<DiagnosticInfo>.Empty);

        var result = Stage.Run<CellModel, string>(input, _ => throw new InvalidOperationException("no operand"));

        var info = Assert.Single(result.Diagnostics);
        Assert.Null(info.Location);
        Assert.Equal("Sample.Outer.Broken", info.Declaration);
        Assert.True(info.IsUnplaced);
    }

    [Fact]
    public void A_positioned_stage_that_throws_reports_where_the_cell_is()
    {
        var input = new StageResult<CellModel>(Cell("Sample"), EquatableArray<DiagnosticInfo>.Empty);

        var info = Assert.Single(Stage.Run<CellModel, string>(input, _ => throw new InvalidOperationException("no operand")).Diagnostics);

        Assert.Equal(CellLocation, info.Location);
        Assert.False(info.IsUnplaced);
    }

    [Fact]
    public void The_output_step_places_the_diagnostic_on_the_declaration_of_that_name()
    {
        var input = new StageResult<CellModel>(Cell("Sample").WithoutPositions(), EquatableArray<DiagnosticInfo>.Empty);
        var info = Assert.Single(Stage.Run<CellModel, string>(input, _ => throw new InvalidOperationException("no operand")).Diagnostics);
        var elsewhere = CellLocation with { FilePath = "Other.cs" };
        var places = ImmutableArray.Create(
            new DeclarationPlace("Other.Outer.Broken", elsewhere), // the same type name in another namespace
            new DeclarationPlace("Sample.Outer.Broken", CellLocation));

        var diagnostic = info.ToDiagnostic(GeneratorOutput.Place(info.Declaration!, places));

        Assert.Equal("RNNG011", diagnostic.Id);
        Assert.Equal("Cell.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(CellLocation.LineSpan, diagnostic.Location.GetLineSpan().Span);
        Assert.Contains("'Broken'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Dropping_positions_keeps_everything_else_of_the_cell()
    {
        var node = new Node(0, NodeKind.Input, Name: "x", Location: CellLocation);
        var parameter = new ParameterModel("W", ParameterKind.Weight, "pack", CellLocation) { Columns = Size.Input };
        var cell = Cell("Sample") with { Nodes = new[] { node }.ToEquatableArray(), Parameters = new[] { parameter }.ToEquatableArray() };

        var stripped = cell.WithoutPositions();

        Assert.Equal(cell with { Location = null, Nodes = new[] { node with { Location = null } }.ToEquatableArray(),
            Parameters = new[] { parameter with { Location = null } }.ToEquatableArray() }, stripped);
        Assert.NotEqual(cell, stripped);
    }
}
