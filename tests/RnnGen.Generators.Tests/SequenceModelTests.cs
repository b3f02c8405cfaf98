using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Tests.Infrastructure;
using RnnGen.Generators.Topology;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The [SequenceClassifier], [SequenceTagger] and [SequenceRegressor] topologies: misdeclarations are diagnostics
/// with an ID at the offending syntax, and good declarations generate models that compile without warnings.
/// </summary>
public sealed class SequenceModelTests
{
    private const string Usings = "using System;\nusing RnnGen;\n\n";

    [Fact]
    public void A_classifier_that_is_not_partial_is_reported_on_its_name_as_a_classifier()
    {
        var d = Expect("RNNG020", """
            [SequenceClassifier(Embedding = 8, Classes = 3)]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public class [|Plain|];
            """);
        Assert.Equal("The sequence classifier 'Plain' must be a non-generic, non-static partial class without a base class of its own: RnnGen adds SequenceClassifier as its base", Message(d));
    }

    [Fact]
    public void A_tagger_without_layers_is_reported_on_its_name_as_a_tagger()
    {
        var d = Expect("RNNG021", """
            [SequenceTagger(Embedding = 8, Tags = 5)]
            public partial class [|Empty|];
            """);
        Assert.Equal("The sequence tagger 'Empty' has no layers: add at least one [Layer(typeof(Cells.Gru), Hidden = 256)]", Message(d));
    }

    [Fact]
    public void A_regressor_layer_whose_type_is_not_a_cell_is_reported_on_the_type()
    {
        var d = Expect("RNNG022", """
            [SequenceRegressor(Inputs = 3, Outputs = 1)]
            [Layer([|typeof(int)|], Hidden = 16)]
            public partial class Forecast;
            """);
        Assert.Equal("'int' is not a recurrent cell: a layer's type must be a class marked [RecurrentCell], such as Cells.Gru or Cells.Lstm", Message(d));
    }

    [Theory]
    [InlineData("[SequenceClassifier([|Embedding = 0|], Classes = 3)]", "The embedding size is 0")]
    [InlineData("[SequenceTagger([|Embedding = -1|], Tags = 3)]", "The embedding size is -1")]
    [InlineData("[SequenceRegressor([|Inputs = 0|], Outputs = 1)]", "The number of inputs per step is 0")]
    [InlineData("[SequenceRegressor(Inputs = 2, [|Outputs = -4|])]", "The number of outputs per step is -4")]
    [InlineData("[[|SequenceRegressor(Inputs = 2)|]]", "The number of outputs per step is 0")]
    public void A_non_positive_size_is_reported_on_the_argument(string attribute, string expected)
    {
        var d = Expect("RNNG023", attribute + """

            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class Model;
            """);
        Assert.Equal(expected + ", but it must be a positive number of units", Message(d));
    }

    [Fact]
    public void A_non_positive_hidden_size_in_a_classifier_is_reported_on_the_argument()
    {
        var d = Expect("RNNG023", """
            [SequenceClassifier(Embedding = 8, Classes = 2)]
            [Layer(typeof(Cells.Gru), [|Hidden = 0|])]
            public partial class Model;
            """);
        Assert.Equal("The hidden size is 0, but it must be a positive number of units", Message(d));
    }

    [Fact]
    public void Dropout_outside_zero_to_one_in_a_tagger_is_reported_on_the_argument()
    {
        var d = Expect("RNNG024", """
            [SequenceTagger(Embedding = 8, Tags = 4)]
            [Layer(typeof(Cells.Lstm), Hidden = 16, [|Dropout = -0.5f|])]
            public partial class Model;
            """);
        Assert.Equal("Dropout is -0.5, but it must be at least 0 and less than 1 (it is the probability of zeroing a unit)", Message(d));
    }

    [Fact]
    public void A_pooling_outside_the_enum_is_reported_on_the_argument()
    {
        var d = Expect("RNNG025", """
            [SequenceClassifier(Embedding = 8, Classes = 3, [|Pooling = (Pooling)7|])]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class Model;
            """);
        Assert.Equal("7 is not a pooling: use Pooling.Last, Pooling.Mean or Pooling.Max", Message(d));
    }

    [Fact]
    public void A_classifier_with_one_class_is_reported_on_the_argument()
    {
        var d = Expect("RNNG026", """
            [SequenceClassifier(Embedding = 8, [|Classes = 1|])]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class Sentiment;
            """);
        Assert.Equal("The sequence classifier 'Sentiment' has Classes = 1, but it needs at least 2: with a single class every prediction is the same and there is nothing to learn", Message(d));
    }

    [Fact]
    public void A_tagger_without_tags_is_reported_on_the_attribute()
    {
        var d = Expect("RNNG026", """
            [[|SequenceTagger(Embedding = 8)|]]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class Chunker;
            """);
        Assert.Equal("The sequence tagger 'Chunker' has Tags = 0, but it needs at least 2: with a single tag every prediction is the same and there is nothing to learn", Message(d));
    }

    [Fact]
    public void A_bidirectional_two_layer_classifier_using_cells_from_another_assembly_compiles_without_warnings()
    {
        var source = CompileClean("""
            namespace App;
            /// <summary>A classifier.</summary>
            [SequenceClassifier(Embedding = 8, Classes = 3, Pooling = Pooling.Mean, Bidirectional = true)]
            [Layer(typeof(Cells.Gru), Hidden = 16, Dropout = 0.25f)]
            [Layer(typeof(Cells.Lstm), Hidden = 12)]
            public partial class Sentiment;
            """);
        Assert.Contains("partial class Sentiment : global::RnnGen.Models.SequenceClassifier", source);
        Assert.Contains("public const int EmbeddingSize = 8;", source);
        Assert.Contains("public const int Hidden0 = 16;", source);
        Assert.Contains("public const int Hidden1 = 12;", source);
        Assert.Contains("public const int Classes = 3;", source);
        Assert.Contains("public const int Directions = 2;", source);
        Assert.Contains("new(new global::RnnGen.Cells.Gru(EmbeddingSize, Hidden0), new global::RnnGen.Cells.Gru(EmbeddingSize, Hidden0), 0.25f)", source);
        Assert.Contains("new(new global::RnnGen.Cells.Lstm(Hidden0 * Directions, Hidden1), new global::RnnGen.Cells.Lstm(Hidden0 * Directions, Hidden1), 0f)", source);
        Assert.Contains("Pool = new(global::RnnGen.Pooling.Mean, Hidden1 * Directions, Directions);", source);
        Assert.Contains("Output = new(Parameters, \"output\", Hidden1 * Directions, Classes);", source);
        Assert.Contains(PartialClassWriter.GeneratedCode, source);
    }

    [Fact]
    public void A_nested_tagger_using_a_cell_of_its_own_compiles_without_warnings()
    {
        var source = CompileClean("""
            using static RnnGen.Ops;
            namespace App;

            [RecurrentCell]
            internal partial class Elman
            {
                Weight W, U;
                Bias b;
                Vec Step(Vec x, Vec h) => Tanh(W * x + U * h + b);
            }

            /// <summary>Holds the tagger.</summary>
            public partial class Outer
            {
                /// <summary>A tagger.</summary>
                [SequenceTagger(Embedding = 6, Tags = 4, Bidirectional = true)]
                [Layer(typeof(Elman), Hidden = 10)]
                [Layer(typeof(Cells.Gru), Hidden = 8)]
                internal partial class Chunker;
            }
            """, "App.Outer.Chunker.Tagger.g.cs");
        Assert.Contains("new(new global::App.Elman(EmbeddingSize, Hidden0), new global::App.Elman(EmbeddingSize, Hidden0), 0f)", source);
        Assert.Contains("public const int Tags = 4;", source);
        Assert.Contains("Output = new(Parameters, \"output\", Hidden1 * Directions, Tags);", source);
    }

    [Fact]
    public void A_regressor_compiles_without_warnings()
    {
        var source = CompileClean("""
            namespace App;
            /// <summary>A regressor.</summary>
            [SequenceRegressor(Inputs = 3, Outputs = 2)]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class Forecast;
            """);
        Assert.Contains("partial class Forecast : global::RnnGen.Models.SequenceRegressor", source);
        Assert.Contains("public const int InputSize = 3;", source);
        Assert.Contains("public const int OutputSize = 2;", source);
        Assert.Contains("public const int Directions = 1;", source);
        Assert.Contains("new(new global::RnnGen.Cells.Gru(InputSize, Hidden0), null, 0f)", source);
        Assert.Contains("Rnn.Backward(x, dh, inputGradient: false);", source);
    }

    /// <summary>Runs every generator over the declaration and returns the one generated model file (by hint name, when given).</summary>
    private static string CompileClean(string declaration, string? hintName = null)
    {
        var compilation = CellCompiler.Compile(new[] { Usings + declaration });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var run = TopologyDriver.Run(compilation);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var model = Assert.Single(run.Sources, IsModelFile);
        if (hintName is not null) Assert.Equal(hintName, model.HintName);
        return model.Text;
    }

    private static Diagnostic Expect(string id, string source)
    {
        var marked = MarkedSource.Parse(Usings + source);
        var compilation = CellCompiler.Compile(new[] { marked.Text });
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var run = TopologyDriver.Run(compilation);
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(marked.ExpectedLineSpan, d.Location.GetLineSpan().Span);
        Assert.Equal(marked.Spans[0], d.Location.SourceSpan);
        Assert.DoesNotContain(run.Sources, IsModelFile);
        return d;
    }

    private static bool IsModelFile(GeneratedFile file) =>
        new[] { ".Classifier.g.cs", ".Tagger.g.cs", ".Regressor.g.cs" }.Any(suffix => file.HintName.EndsWith(suffix, StringComparison.Ordinal));

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
}
