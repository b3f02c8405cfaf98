using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// One test per diagnostic a [Seq2Seq] class can get: the shared RNNG020–RNNG024 (as a "sequence-to-sequence model")
/// and its own RNNG034–RNNG035; the ID, the span of the offending argument and the message.
/// </summary>
public sealed class Seq2SeqDiagnosticTests
{
    private const string Usings = "using System;\nusing RnnGen;\n\n";

    [Fact]
    public void A_well_formed_model_generates_a_Seq2SeqModel_without_diagnostics()
    {
        var (diagnostics, sources, output) = Run("""
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8, Attention = AttentionKind.Dot, Bidirectional = true)]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            [Decoder(typeof(Cells.Lstm), Hidden = 32)]
            public partial class Translator;
            """);
        Assert.Empty(diagnostics);
        var source = Assert.Single(sources);
        Assert.Contains(": global::RnnGen.Models.Seq2SeqModel", source);
        Assert.Contains("new global::RnnGen.Cells.Gru(SourceEmbeddingSize, EncoderHidden0)", source);
        Assert.Contains("new global::RnnGen.Cells.Lstm(TargetEmbeddingSize, DecoderHidden0)", source);
        Assert.Contains("public const int MemorySize = EncoderHidden0 * Directions;", source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Layer_dropout_is_passed_to_each_stack()
    {
        var (diagnostics, sources, output) = Run("""
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8)]
            [Encoder(typeof(Cells.Gru), Hidden = 16, Dropout = 0.2f)]
            [Decoder(typeof(Cells.Gru), Hidden = 16, Dropout = 0.3f)]
            public partial class Dropping;
            """);
        Assert.Empty(diagnostics);
        var source = Assert.Single(sources);
        Assert.Contains("new(new global::RnnGen.Cells.Gru(SourceEmbeddingSize, EncoderHidden0), null, 0.2f),", source);
        Assert.Contains("new(new global::RnnGen.Cells.Gru(TargetEmbeddingSize, DecoderHidden0), null, 0.3f),", source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void A_layer_dropout_outside_zero_to_one_is_reported_on_the_Dropout_argument()
    {
        var d = Expect("RNNG024", """
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8)]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            [Decoder(typeof(Cells.Gru), Hidden = 16, [|Dropout = 1f|])]
            public partial class Overdropped;
            """);
        Assert.Contains("1", Message(d));
    }

    [Fact]
    public void A_model_that_is_not_partial_is_reported_on_its_name()
    {
        var d = Expect("RNNG020", """
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8)]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            [Decoder(typeof(Cells.Gru), Hidden = 16)]
            public class [|Plain|];
            """);
        Assert.Contains("The sequence-to-sequence model 'Plain' must be a non-generic, non-static partial class", Message(d));
        Assert.Contains("RnnGen adds Seq2SeqModel as its base", Message(d));
    }

    [Fact]
    public void A_model_without_decoder_layers_is_reported_on_its_Seq2Seq_attribute()
    {
        var d = Expect("RNNG021", """
            [[|Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8)|]]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            public partial class Headless;
            """);
        Assert.Contains("The sequence-to-sequence model 'Headless' has no decoder layers", Message(d));
        Assert.Contains("[Decoder(typeof(Cells.Gru)", Message(d));
    }

    [Fact]
    public void A_layer_type_that_is_not_a_cell_is_reported_on_the_typeof_argument()
    {
        var d = Expect("RNNG022", """
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8)]
            [Encoder([|typeof(string)|], Hidden = 16)]
            [Decoder(typeof(Cells.Gru), Hidden = 16)]
            public partial class Stringly;
            """);
        Assert.Contains("'string' is not a recurrent cell", Message(d));
    }

    [Fact]
    public void A_non_positive_size_is_reported_on_its_argument()
    {
        var d = Expect("RNNG023", """
            [Seq2Seq(SourceEmbedding = 8, [|TargetEmbedding = 0|])]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            [Decoder(typeof(Cells.Gru), Hidden = 16)]
            public partial class Empty;
            """);
        Assert.Contains("The target embedding size is 0", Message(d));
    }

    [Fact]
    public void A_missing_hidden_size_is_reported_on_the_layer_attribute()
    {
        var d = Expect("RNNG023", """
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8)]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            [[|Decoder(typeof(Cells.Gru))|]]
            public partial class Sizeless;
            """);
        Assert.Contains("The decoder hidden size is 0", Message(d));
    }

    [Fact]
    public void Dot_attention_between_different_sizes_is_reported_on_the_Attention_argument()
    {
        var d = Expect("RNNG034", """
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8, [|Attention = AttentionKind.Dot|], Bidirectional = true)]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            [Decoder(typeof(Cells.Gru), Hidden = 16)]
            public partial class Mismatched;
            """);
        Assert.Contains("the encoder gives 32 values (two directions of 16) and the decoder's top layer has 16", Message(d));
    }

    [Fact]
    public void An_undefined_attention_kind_is_reported_on_the_Attention_argument()
    {
        var d = Expect("RNNG035", """
            [Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8, [|Attention = (AttentionKind)7|])]
            [Encoder(typeof(Cells.Gru), Hidden = 16)]
            [Decoder(typeof(Cells.Gru), Hidden = 16)]
            public partial class Unknown;
            """);
        Assert.Contains("7 is not an attention kind", Message(d));
    }

    private static Diagnostic Expect(string id, string source)
    {
        var marked = MarkedSource.Parse(Usings + source);
        var (diagnostics, sources, _) = Run(marked.Text, prefixed: true);
        var d = Assert.Single(diagnostics, x => x.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(marked.Spans[0], d.Location.SourceSpan);
        Assert.DoesNotContain(diagnostics, other => other.Id == "RNNG011");
        Assert.Empty(sources);
        return d;
    }

    private static (IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Sources, Compilation Output) Run(string source, bool prefixed = false)
    {
        var compilation = CellCompiler.Compile([prefixed ? source : Usings + source]);
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS0260");
        var driver = CSharpGeneratorDriver.Create([new Seq2SeqGenerator().AsSourceGenerator()], parseOptions: CellCompiler.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var sources = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToList();
        return (diagnostics, sources, output);
    }

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
}
