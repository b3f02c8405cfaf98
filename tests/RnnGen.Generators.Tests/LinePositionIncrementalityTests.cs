using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Model;
using RnnGen.Generators.Tests.Infrastructure;
using static RnnGen.Generators.Tests.Infrastructure.PipelineSteps;

namespace RnnGen.Generators.Tests;

/// <summary>
/// Only parsing and the shape check see source positions (issue 10, item 6): an edit that only moves a cell's lines
/// re-runs those two, and every later stage of that cell is reused; an edit to its step re-runs them all. The
/// diagnostics of the positioned stages still follow the lines they are about.
/// </summary>
public sealed class LinePositionIncrementalityTests
{
    private const string Elman = """
        using RnnGen;
        using static RnnGen.Ops;

        namespace Sample;

        [RecurrentCell]
        internal partial class Elman
        {
            Weight W, U;
            Bias b;

            Vec Step(Vec x, Vec h) => Tanh(W * x + U * h + b);
        }
        """;

    private const string Normed = """
        using RnnGen;
        using static RnnGen.Ops;

        namespace Sample;

        [RecurrentCell]
        internal partial class Normed
        {
            Weight W, U;
            Bias g, beta, spare;

            Vec Step(Vec x, Vec h)
            {
                var a = LayerNorm(W * x + U * h, g, beta);
                return Tanh(a) * h;
            }
        }
        """;

    // Comment and blank lines above the cell: every position in the file moves, nothing the generator means changes.
    private static string Shifted(string source) => "// A comment that moves the cell down.\n\n\n" + source;

    private static readonly string[] PositionlessSteps =
        { TrackingNames.Differentiate, TrackingNames.Plan, TrackingNames.Emit, TrackingNames.EmitGraph };

    [Fact]
    public void Moving_a_cells_lines_reruns_parsing_and_checking_only()
    {
        var first = CellCompiler.Run(Compilation(Elman, Normed)).ShouldSucceed("RNNG010");

        var second = CellCompiler.Run(Replace(first.Input, "Normed.cs", Shifted(Normed)), first.Driver).ShouldSucceed("RNNG010");

        Assert.Equal(first.Sources.Select(s => s.HintName), second.Sources.Select(s => s.HintName));
        foreach (var (before, after) in first.Sources.Zip(second.Sources)) Assert.Equal(before.Text, after.Text);
        Assert.All(Of(second, TrackingNames.Parse, "Normed"), r => Assert.True(IsRecomputed(r), $"Parse of Normed was {r}"));
        Assert.All(Of(second, TrackingNames.Check, "Normed"), r => Assert.True(IsRecomputed(r), $"Check of Normed was {r}"));
        // Dropping the positions runs again, and gives what it gave before: from here on nothing runs.
        Assert.Equal(new[] { IncrementalStepRunReason.Unchanged }, Of(second, TrackingNames.DropPositions, "Normed"));
        foreach (string step in PositionlessSteps)
        {
            var reasons = Of(second, step, "Normed");
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r == IncrementalStepRunReason.Cached, $"{step} of Normed was {r}"));
        }
    }

    [Fact]
    public void A_diagnostic_of_a_positioned_stage_follows_the_moved_lines()
    {
        var first = CellCompiler.Run(Compilation(Elman, Normed));
        var second = CellCompiler.Run(Replace(first.Input, "Normed.cs", Shifted(Normed)), first.Driver);

        var before = Assert.Single(first.GeneratorDiagnostics, d => d.Id == "RNNG010");
        var after = Assert.Single(second.GeneratorDiagnostics, d => d.Id == "RNNG010");
        Assert.Contains("spare", after.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 3, after.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void Editing_the_step_after_moving_its_lines_reruns_every_stage()
    {
        var first = CellCompiler.Run(Compilation(Elman, Normed)).ShouldSucceed("RNNG010");
        var moved = CellCompiler.Run(Replace(first.Input, "Normed.cs", Shifted(Normed)), first.Driver).ShouldSucceed("RNNG010");

        var edited = CellCompiler.Run(Replace(moved.Input, "Normed.cs", Shifted(Normed.Replace("Tanh(a) * h", "Sigmoid(a) * h"))), moved.Driver)
            .ShouldSucceed("RNNG010");

        Assert.Contains("TV.Sigmoid", edited.Source("Sample.Normed.g.cs").Text);
        foreach (string step in new[] { TrackingNames.DropPositions }.Concat(PositionlessSteps))
            Assert.All(Of(edited, step, "Normed"), r => Assert.True(IsRecomputed(r), $"{step} of Normed was {r}"));
        // The other cell's file did not change at all.
        foreach (string step in CellSteps)
            Assert.All(Of(edited, step, "Elman"), r => Assert.True(IsReused(r), $"{step} of Elman was {r}"));
    }

    [Fact]
    public void No_value_past_the_shape_check_holds_a_source_position()
    {
        var run = CellCompiler.Run(Compilation(Elman, Normed));

        var cells = Outputs(run, TrackingNames.DropPositions).Select(o => ((StageResult<CellModel>)o.Value).Value!).ToList();

        Assert.Equal(2, cells.Count);
        Assert.All(cells, cell =>
        {
            Assert.Null(cell.Location);
            Assert.All(cell.Nodes, n => Assert.Null(n.Location));
            Assert.All(cell.Parameters, p => Assert.Null(p.Location));
        });
        // The positioned stage before it did have them: the step above really dropped something.
        var checkedCells = Outputs(run, TrackingNames.Check).Select(o => ((StageResult<CellModel>)o.Value).Value!).ToList();
        Assert.All(checkedCells, cell => Assert.NotNull(cell.Location));
    }

    private static IncrementalStepRunReason[] Of(GeneratorRun run, string step, string cell)
    {
        Assert.True(run.Result.TrackedSteps.TryGetValue(step, out var steps), $"no tracked step '{step}'");
        return steps.SelectMany(s => s.Outputs).Where(o => Owner(o.Value) == cell).Select(o => o.Reason).ToArray();
    }

    // The cell an output belongs to; the ONNX file's hint name ends in .Onnx.g.cs.
    private static string Owner(object value) => value is StageResult<GeneratedSource> { Value: { } source } && source.HintName.EndsWith(".Onnx.g.cs")
        ? source.HintName.Split('.')[^4]
        : CellOf(value);

    private static Compilation Replace(Compilation compilation, string path, string text) =>
        compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(t => t.FilePath == path), CellCompiler.Tree(text, path));

    private static Compilation Compilation(string elman, string normed) =>
        CSharpCompilation.Create("Moved",
            new[] { CellCompiler.Tree(elman, "Elman.cs"), CellCompiler.Tree(normed, "Normed.cs") },
            References.WithRuntime, CellCompiler.CompilationOptions);
}
