using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Tests.Infrastructure;
using static RnnGen.Generators.Tests.Infrastructure.PipelineSteps;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The pipeline's stages are cached: re-running on the same input or after an unrelated edit reuses
/// every cell's outputs, and editing one cell recomputes only that cell.
/// </summary>
public sealed class IncrementalityTests
{
    private const string Gated = """
        using RnnGen;
        using static RnnGen.Ops;

        namespace Sample;

        [RecurrentCell]
        internal partial class Gated
        {
            Weight Wf, Wh, Uf, Uh;
            Bias bf, bh;

            Vec Step(Vec x, Vec h)
            {
                var f = Sigmoid(Wf * x + Uf * h + bf);
                var candidate = Tanh(Wh * x + Uh * (f * h) + bh);
                return (1 - f) * h + f * candidate;
            }
        }
        """;

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

    private const string Unrelated = """
        namespace Sample;

        internal static class Helpers
        {
            public static int Twice(int value) => 2 * value;
        }
        """;

    [Fact]
    public void Rerunning_on_the_same_input_reuses_every_step_of_every_cell()
    {
        var first = CellCompiler.Run(Compilation(Gated, Elman, Unrelated)).ShouldSucceed();

        var second = CellCompiler.Run(first.Input.Clone(), first.Driver).ShouldSucceed();

        AssertAllReused(second, expectedCells: 2);
    }

    [Fact]
    public void Adding_an_unrelated_file_reuses_every_step_of_every_cell()
    {
        var first = CellCompiler.Run(Compilation(Gated, Elman, Unrelated)).ShouldSucceed();
        var edited = first.Input.AddSyntaxTrees(CellCompiler.Tree("namespace Sample; internal sealed class Extra { }", "Extra.cs"));

        var second = CellCompiler.Run(edited, first.Driver).ShouldSucceed();

        AssertAllReused(second, expectedCells: 2);
    }

    [Fact]
    public void Editing_another_class_reuses_every_step_of_every_cell()
    {
        var first = CellCompiler.Run(Compilation(Gated, Elman, Unrelated)).ShouldSucceed();
        var oldTree = first.Input.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        var edited = first.Input.ReplaceSyntaxTree(oldTree,
            CellCompiler.Tree(Unrelated.Replace("2 * value", "value + value") + "\ninternal sealed class More { }\n", "Unrelated.cs"));

        var second = CellCompiler.Run(edited, first.Driver).ShouldSucceed();

        AssertAllReused(second, expectedCells: 2);
    }

    [Fact]
    public void Editing_one_cells_Step_recomputes_only_that_cell()
    {
        var first = CellCompiler.Run(Compilation(Gated, Elman, Unrelated)).ShouldSucceed();
        var oldTree = first.Input.SyntaxTrees.Single(t => t.FilePath == "Elman.cs");
        var edited = first.Input.ReplaceSyntaxTree(oldTree,
            CellCompiler.Tree(Elman.Replace("Tanh(W * x", "Sigmoid(W * x"), "Elman.cs"));

        var second = CellCompiler.Run(edited, first.Driver).ShouldSucceed();

        Assert.Contains("Sigmoid", second.Source("Sample.Elman.g.cs").Text);
        foreach (string step in CellSteps)
        {
            var outputs = Outputs(second, step);
            Assert.Contains(outputs, o => o.Cell == "Elman");
            Assert.Contains(outputs, o => o.Cell == "Gated");
            Assert.All(outputs.Where(o => o.Cell == "Elman"), o => Assert.True(IsRecomputed(o.Reason), $"{step}: Elman was {o.Reason}"));
            Assert.All(outputs.Where(o => o.Cell == "Gated"), o => Assert.True(IsReused(o.Reason), $"{step}: Gated was {o.Reason}"));
        }
    }

    [Fact]
    public void Forcing_the_step_loop_on_one_cell_recomputes_only_that_cell_and_changes_its_plan()
    {
        const string decay = """
            using RnnGen;
            using static RnnGen.Ops;

            namespace Sample;

            [RecurrentCell]
            internal partial class Decay
            {
                Weight W;
                Bias d;

                Vec Step(Vec x, Vec h) => d * h + Tanh(W * x);
            }
            """;
        var first = CellCompiler.Run(Compilation(Gated, decay, Unrelated)).ShouldSucceed();
        Assert.Contains("// Plan: linear scans", first.Sources.Single(s => s.Text.Contains("partial class Decay : __RnnGen.IRecurrentCell", StringComparison.Ordinal)).Text);
        var oldTree = first.Input.SyntaxTrees.Single(t => t.GetText().ToString().Contains("class Decay", StringComparison.Ordinal));
        var edited = first.Input.ReplaceSyntaxTree(oldTree,
            CellCompiler.Tree(decay.Replace("[RecurrentCell]", "[RecurrentCell(LinearPath = false)]"), oldTree.FilePath));

        var second = CellCompiler.Run(edited, first.Driver).ShouldSucceed();

        Assert.Contains("// Plan: a step loop, because [RecurrentCell(LinearPath = false)] asks for it.",
            second.Sources.Single(s => s.Text.Contains("partial class Decay : __RnnGen.IRecurrentCell", StringComparison.Ordinal)).Text);
        foreach (string step in CellSteps)
        {
            var outputs = Outputs(second, step);
            Assert.All(outputs.Where(o => o.Cell == "Decay"), o => Assert.True(IsRecomputed(o.Reason), $"{step}: Decay was {o.Reason}"));
            Assert.All(outputs.Where(o => o.Cell == "Gated"), o => Assert.True(IsReused(o.Reason), $"{step}: Gated was {o.Reason}"));
        }
    }

    [Fact]
    public void Editing_another_class_reuses_every_step_of_every_sequence_model()
    {
        const string models = """
            using RnnGen;

            namespace Sample;

            [SequenceClassifier(Embedding = 8, Classes = 3, Pooling = Pooling.Max)]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class Sentiment;

            [SequenceTagger(Embedding = 8, Tags = 5, Bidirectional = true)]
            [Layer(typeof(Cells.Lstm), Hidden = 16)]
            public partial class Chunker;

            [SequenceRegressor(Inputs = 2, Outputs = 1)]
            [Layer(typeof(Cells.Gru), Hidden = 8)]
            public partial class Forecast;
            """;
        var compilation = CSharpCompilation.Create("IncrementalModels",
            new[] { CellCompiler.Tree(models, "Models.cs"), CellCompiler.Tree(Unrelated, "Unrelated.cs") },
            References.WithRuntime, CellCompiler.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new SequenceModelGenerator().AsSourceGenerator() }, parseOptions: CellCompiler.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var first = CellCompiler.Run(compilation, driver);
        Assert.Empty(first.GeneratorDiagnostics);
        Assert.Equal(3, first.Sources.Length);
        var oldTree = first.Input.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        var edited = first.Input.ReplaceSyntaxTree(oldTree, CellCompiler.Tree(Unrelated.Replace("2 * value", "value + value"), "Unrelated.cs"));

        var second = CellCompiler.Run(edited, first.Driver);

        foreach (string step in SequenceModelSteps)
        {
            var outputs = Outputs(second, step);
            Assert.Single(outputs);
            Assert.All(outputs, o => Assert.True(IsReused(o.Reason), $"{step}: {o.Cell} was {o.Reason}"));
        }
    }

    private static Compilation Compilation(string gated, string elman, string unrelated) =>
        CSharpCompilation.Create("Incremental",
            new[] { CellCompiler.Tree(gated, "Gated.cs"), CellCompiler.Tree(elman, "Elman.cs"), CellCompiler.Tree(unrelated, "Unrelated.cs") },
            References.WithRuntime, CellCompiler.CompilationOptions);

    private static void AssertAllReused(GeneratorRun run, int expectedCells)
    {
        foreach (string step in CellSteps)
        {
            var outputs = Outputs(run, step);
            Assert.Equal(expectedCells, outputs.Count);
            Assert.All(outputs, o => Assert.True(IsReused(o.Reason), $"{step}: {o.Cell} was {o.Reason}"));
        }
    }
}
