using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The emitted code of the built-in cells and of two custom test cells, compared with the committed
/// Snapshots/*.verified.cs files. The declarations are read from the repository at test time, so a
/// change to a cell or to the emitter shows up here as a diff.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData("SimpleRnn")]
    [InlineData("Gru")]
    [InlineData("Lstm")]
    public void The_emitted_code_of_a_built_in_cell_matches_its_snapshot(string cell)
    {
        string source = RepositoryPaths.ReadAllText("src", "RnnGen", "Cells", cell + ".cs");
        // RnnGen.dll already holds the generated built-in cells, so compiling their declarations again
        // (under another assembly name) redeclares RnnGen.Cells: CS0436 says the source wins, as intended.
        // CS1591: the runtime documents its cells' members through IRecurrentCell and does not warn on them.
        var run = CellCompiler.Run(CellCompiler.Compile(new[] { source }, assemblyName: "RnnGen.BuiltInSnapshots"))
            .ShouldSucceed("CS0436", "CS1591");

        Snapshot.Verify(cell, run.Source($"RnnGen.Cells.{cell}.g.cs").Text);
    }

    [Theory]
    [InlineData("Mgu")]
    [InlineData("NormCell")]
    [InlineData("TwoScanTest")] // planned as linear scans: the plan's comment, its kind and the coefficients' pass
    [InlineData("QrnnLikeTest")] // a scan and an output state: the passes after the scans and before the reverse scans
    [InlineData("Qrnn")] // W * Prev(x): states added for the products of the previous input
    [InlineData("Sru")] // the input read elementwise
    [InlineData("ClippedSoftsignCell")] // division, Abs, Max and Min with numbers
    public void The_emitted_code_of_a_test_cell_matches_its_snapshot(string cell)
    {
        string source = RepositoryPaths.ReadAllText("tests", "RnnGen.Tests", "Cells", "TestCells.cs");
        var run = CellCompiler.Run(source).ShouldSucceed();

        Snapshot.Verify(cell, run.Source($"RnnGen.Tests.Cells.{cell}.g.cs").Text);
    }

    /// <summary>
    /// Every cell of the test cells and the built-in ones, as emitted: its type carries [GeneratedCode], and no
    /// adjoint is accumulated as <c>+= -x</c> (written <c>-= x</c>).
    /// </summary>
    [Fact]
    public void Emitted_cells_are_marked_generated_and_read_like_the_math()
    {
        string tests = RepositoryPaths.ReadAllText("tests", "RnnGen.Tests", "Cells", "TestCells.cs");
        var builtIn = new[] { "SimpleRnn", "Gru", "Lstm" }.Select(c => RepositoryPaths.ReadAllText("src", "RnnGen", "Cells", c + ".cs")).ToArray();
        var sources = CellCompiler.Run(tests).ShouldSucceed().Sources
            .Concat(CellCompiler.Run(CellCompiler.Compile(builtIn, assemblyName: "RnnGen.BuiltIns")).ShouldSucceed("CS0436", "CS1591").Sources);
        var cells = sources.Where(s => s.Text.Contains(": __RnnGen.IRecurrentCell", StringComparison.Ordinal)).ToList();
        Assert.True(cells.Count >= 9, $"{cells.Count} cells generated");
        foreach (var (hint, text) in cells.Select(s => (s.HintName, s.Text)))
        {
            var lines = text.Split('\n');
            int declaration = Array.FindIndex(lines, l => l.Contains(": __RnnGen.IRecurrentCell", StringComparison.Ordinal));
            Assert.True(declaration > 0, hint);
            Assert.True(lines[declaration].TrimStart().StartsWith("partial class", StringComparison.Ordinal), hint);
            Assert.Contains("[__System.CodeDom.Compiler.GeneratedCode(\"RnnGen\"", lines[declaration - 1]);
            Assert.DoesNotContain(lines, l => l.Contains("+= -", StringComparison.Ordinal));
            // global:: only in the file's aliases; an adjoint is never zeroed to be added to (var d_v31 = d_hNext;).
            Assert.DoesNotContain(lines, l => l.Contains("global::", StringComparison.Ordinal) && !l.StartsWith("using __", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("var d_", StringComparison.Ordinal) && l.Contains("= TV.Zero;", StringComparison.Ordinal) && !l.Contains("nothing depends on it", StringComparison.Ordinal));
        }
    }

    /// <summary>The step as data that the ONNX export turns into a Scan body: a two-product-level cell, a layer-normalised
    /// one, and a token shift.</summary>
    [Theory]
    [InlineData("Mgu")]
    [InlineData("NormCell")]
    [InlineData("TokenShiftCell")] // Prev(x) elementwise: a state whose next value is the input
    public void The_step_graph_of_a_test_cell_matches_its_snapshot(string cell)
    {
        string source = RepositoryPaths.ReadAllText("tests", "RnnGen.Tests", "Cells", "TestCells.cs");
        var run = CellCompiler.Run(source).ShouldSucceed();

        Snapshot.Verify(cell + ".Onnx", run.Source($"RnnGen.Tests.Cells.{cell}.Onnx.g.cs").Text);
    }
}

/// <summary>
/// The emitted network and training step of one model of each layered topology, compared with the committed
/// Snapshots/*.verified.cs files: a change to an emitter shows up here as a diff of the forward and backward passes.
/// </summary>
public sealed class TopologySnapshotTests
{
    [Theory]
    [InlineData("LanguageModel", "Model", """
        [LanguageModel(Embedding = 32)]
        [Layer(typeof(Cells.Lstm), Hidden = 64, Dropout = 0.2f)]
        [Layer(typeof(Cells.Gru), Hidden = 48)]
        public partial class CharModel;
        """)]
    [InlineData("SequenceClassifier", "Classifier", """
        [SequenceClassifier(Embedding = 16, Classes = 4, Pooling = Pooling.Mean, Bidirectional = true)]
        [Layer(typeof(Cells.Gru), Hidden = 32, Dropout = 0.1f)]
        [Layer(typeof(Cells.Gru), Hidden = 24)]
        public partial class Sentiment;
        """)]
    [InlineData("SequenceTagger", "Tagger", """
        [SequenceTagger(Embedding = 16, Tags = 9, Bidirectional = true)]
        [Layer(typeof(Cells.Lstm), Hidden = 32)]
        [Layer(typeof(Cells.Lstm), Hidden = 32)]
        public partial class PartOfSpeech;
        """)]
    [InlineData("SequenceRegressor", "Regressor", """
        [SequenceRegressor(Inputs = 3, Outputs = 2)]
        [Layer(typeof(Cells.Gru), Hidden = 20)]
        public partial class Forecast;
        """)]
    [InlineData("Seq2Seq", "Seq2Seq", """
        [Seq2Seq(SourceEmbedding = 32, TargetEmbedding = 24, Attention = AttentionKind.General, Bidirectional = true)]
        [Encoder(typeof(Cells.Gru), Hidden = 64, Dropout = 0.1f)]
        [Encoder(typeof(Cells.Gru), Hidden = 48)]
        [Decoder(typeof(Cells.Lstm), Hidden = 96)]
        public partial class Translator;
        """)]
    public void The_generated_training_step_of_each_topology_matches_its_snapshot(string topology, string suffix, string declaration)
    {
        var compilation = CellCompiler.Compile(new[] { "using RnnGen;\n\nnamespace Samples;\n\n/// <summary>A model.</summary>\n" + declaration });
        var run = TopologyDriver.Run(compilation);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        var source = Assert.Single(run.Sources, s => s.HintName.EndsWith("." + suffix + ".g.cs", StringComparison.Ordinal));

        Snapshot.Verify(topology, source.Text);
    }
}
