using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>Runs the cell, language-model, sequence-model and sequence-to-sequence generators together, as a project referencing RnnGen does.</summary>
internal static class TopologyDriver
{
    public sealed record Result(Compilation Output, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<GeneratedFile> Sources);

    public static Result Run(Compilation compilation)
    {
        var driver = CSharpGeneratorDriver.Create(
            new[]
            {
                new RecurrentCellGenerator().AsSourceGenerator(),
                new LanguageModelGenerator().AsSourceGenerator(),
                new SequenceModelGenerator().AsSourceGenerator(),
                new Seq2SeqGenerator().AsSourceGenerator(),
            },
            parseOptions: CellCompiler.ParseOptions);
        var ran = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var sources = ran.GetRunResult().Results.SelectMany(r => r.GeneratedSources)
            .Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToList();
        return new Result(output, diagnostics, sources);
    }
}
