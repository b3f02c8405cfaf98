using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>
/// The tiny source builder of the generator tests: compiles source strings against the framework and
/// RnnGen.dll, runs <see cref="RecurrentCellGenerator"/> through a <see cref="CSharpGeneratorDriver"/>
/// with step tracking, and hands back what it reported and produced.
/// </summary>
internal static class CellCompiler
{
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    public static readonly CSharpCompilationOptions CompilationOptions =
        new(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            generalDiagnosticOption: ReportDiagnostic.Default,
            concurrentBuild: false);

    /// <summary>Builds the compilation of the given sources (each file named Cell{i}.cs).</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources, string assemblyName = "TestCells",
        ImmutableArray<MetadataReference>? references = null) =>
        CSharpCompilation.Create(assemblyName,
            sources.Select((s, i) => Tree(s, $"Cell{i}.cs")),
            references ?? References.WithRuntime,
            CompilationOptions);

    public static SyntaxTree Tree(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path: path);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new RecurrentCellGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles the sources and runs the generator once.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(Compile(sources));

    /// <summary>Runs the generator on a compilation, continuing <paramref name="driver"/> when given (for incrementality).</summary>
    public static GeneratorRun Run(Compilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        return new GeneratorRun(
            compilation,
            driver,
            result,
            generatorDiagnostics,
            result.GeneratedSources.Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToImmutableArray(),
            output,
            output.GetDiagnostics());
    }
}

/// <summary>One generated file.</summary>
internal sealed record GeneratedFile(string HintName, string Text);
