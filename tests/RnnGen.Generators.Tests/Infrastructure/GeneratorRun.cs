using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>What one generator run gave: its diagnostics, the generated files and the diagnostics of the compilation that includes them.</summary>
internal sealed record GeneratorRun(
    Compilation Input,
    GeneratorDriver Driver,
    GeneratorRunResult Result,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<GeneratedFile> Sources,
    Compilation Output,
    ImmutableArray<Diagnostic> OutputDiagnostics)
{
    /// <summary>Generator and compiler diagnostics that are warnings or errors.</summary>
    public IEnumerable<Diagnostic> Problems(params string[] allowedIds) =>
        GeneratorDiagnostics.Concat(OutputDiagnostics)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed && !allowedIds.Contains(d.Id));

    public IEnumerable<Diagnostic> Errors =>
        GeneratorDiagnostics.Concat(OutputDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Fails unless the generator reported nothing and the output compiles without a single warning or error.</summary>
    public GeneratorRun ShouldSucceed(params string[] allowedIds)
    {
        Assert.Null(Result.Exception);
        var problems = Problems(allowedIds).ToList();
        Assert.True(problems.Count == 0, "expected a clean run, got:\n" + string.Join("\n", problems.Select(Describe)));
        Assert.NotEmpty(Sources);
        return this;
    }

    /// <summary>The only generator diagnostic with the given ID.</summary>
    public Diagnostic SingleGeneratorDiagnostic(string id)
    {
        Assert.Null(Result.Exception);
        var matching = GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1,
            $"expected one {id}, got {matching.Count}; all generator diagnostics:\n" + string.Join("\n", GeneratorDiagnostics.Select(Describe)));
        return matching[0];
    }

    public GeneratedFile Source(string hintName) =>
        Sources.SingleOrDefault(s => s.HintName == hintName)
        ?? throw new Xunit.Sdk.XunitException($"no generated file '{hintName}'; got: {string.Join(", ", Sources.Select(s => s.HintName))}");

    public static string Describe(Diagnostic d) => $"{d.Id} {d.Severity} {d.Location.GetLineSpan()}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
}
