using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The [LanguageModel] topology: misdeclarations are diagnostics with an ID at the offending syntax, and a
/// good declaration generates a model that compiles without warnings.
/// </summary>
public sealed class ModelDiagnosticTests
{
    private const string Usings = "using System;\nusing RnnGen;\n\n";

    [Fact]
    public void A_model_that_is_not_partial_is_reported_on_its_name()
    {
        var d = Expect("RNNG020", """
            [LanguageModel(Embedding = 8)]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public class [|Plain|];
            """);
        Assert.Contains("'Plain' must be a non-generic, non-static partial class", Message(d));
    }

    [Fact]
    public void A_model_with_a_base_class_of_its_own_is_reported_on_its_name()
    {
        var d = Expect("RNNG020", """
            public class Base { }
            [LanguageModel(Embedding = 8)]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class [|Derived|] : Base;
            """);
        Assert.Contains("without a base class of its own", Message(d));
    }

    [Fact]
    public void A_model_without_layers_is_reported_on_its_name()
    {
        var d = Expect("RNNG021", """
            [LanguageModel(Embedding = 8)]
            public partial class [|Empty|];
            """);
        Assert.Contains("'Empty' has no layers", Message(d));
    }

    [Fact]
    public void A_layer_whose_type_is_not_a_cell_is_reported_on_the_type()
    {
        var d = Expect("RNNG022", """
            [LanguageModel(Embedding = 8)]
            [Layer([|typeof(string)|], Hidden = 16)]
            public partial class Model;
            """);
        Assert.Contains("'string' is not a recurrent cell", Message(d));
    }

    [Fact]
    public void A_non_positive_hidden_size_is_reported_on_the_argument()
    {
        var d = Expect("RNNG023", """
            [LanguageModel(Embedding = 8)]
            [Layer(typeof(Cells.Gru), [|Hidden = 0|])]
            public partial class Model;
            """);
        Assert.Contains("The hidden size is 0", Message(d));
    }

    [Fact]
    public void A_non_positive_embedding_is_reported_on_the_argument()
    {
        var d = Expect("RNNG023", """
            [LanguageModel([|Embedding = -3|])]
            [Layer(typeof(Cells.Gru), Hidden = 16)]
            public partial class Model;
            """);
        Assert.Contains("The embedding size is -3", Message(d));
    }

    [Fact]
    public void Dropout_outside_zero_to_one_is_reported_on_the_argument()
    {
        var d = Expect("RNNG024", """
            [LanguageModel(Embedding = 8)]
            [Layer(typeof(Cells.Gru), Hidden = 16, [|Dropout = 1f|])]
            public partial class Model;
            """);
        Assert.Contains("Dropout is 1", Message(d));
    }

    [Fact]
    public void A_good_model_using_a_cell_from_another_assembly_compiles_without_warnings()
    {
        var compilation = CellCompiler.Compile(new[] { Usings + """
            namespace App;
            /// <summary>A model.</summary>
            [LanguageModel(Embedding = 8)]
            [Layer(typeof(Cells.Lstm), Hidden = 16, Dropout = 0.25f)]
            [Layer(typeof(Cells.Gru), Hidden = 12)]
            public partial class CharModel;
            """ });
        var output = RunBoth(compilation, out var generatorDiagnostics, out var sources);
        Assert.Empty(generatorDiagnostics);
        var source = Assert.Single(sources);
        Assert.Contains("public const int EmbeddingSize = 8;", source);
        Assert.Contains("public const int Hidden0 = 16;", source);
        Assert.Contains("public const int Hidden1 = 12;", source);
        Assert.Contains("new(new global::RnnGen.Cells.Lstm(EmbeddingSize, Hidden0), null, 0.25f)", source);
        Assert.Contains("new(new global::RnnGen.Cells.Gru(Hidden0, Hidden1), null, 0f)", source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    private static Compilation RunBoth(Compilation compilation, out IReadOnlyList<Diagnostic> diagnostics, out IReadOnlyList<string> sources)
    {
        var driver = CSharpGeneratorDriver.Create(
            new[] { new RecurrentCellGenerator().AsSourceGenerator(), new LanguageModelGenerator().AsSourceGenerator() },
            parseOptions: CellCompiler.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        diagnostics = generatorDiagnostics;
        sources = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Count()).Select(t => t.ToString()).ToList();
        return output;
    }

    private static Diagnostic Expect(string id, string source)
    {
        var marked = MarkedSource.Parse(Usings + source);
        var compilation = CellCompiler.Compile(new[] { marked.Text });
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        RunBoth(compilation, out var diagnostics, out var sources);
        var d = Assert.Single(diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(marked.ExpectedLineSpan, d.Location.GetLineSpan().Span);
        Assert.Equal(marked.Spans[0], d.Location.SourceSpan);
        Assert.Empty(sources);
        return d;
    }

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
}
