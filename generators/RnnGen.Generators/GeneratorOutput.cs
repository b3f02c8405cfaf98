using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

/// <summary>What every RnnGen generator does at the end of its pipeline: report, then add the file.</summary>
internal static class GeneratorOutput
{
    /// <summary>The hint name of a generated file: Namespace.Outer.Type[.suffix].g.cs.</summary>
    public static string HintName(string? ns, EquatableArray<string> containingTypes, string typeName, string? suffix = null) =>
        string.Join(".", new[] { ns }.Concat(containingTypes).Concat(new[] { typeName, suffix }).Where(n => !string.IsNullOrEmpty(n))) + ".g.cs";

    /// <summary>Reports each stage's diagnostics and adds the generated file, if there is one.</summary>
    public static void AddGenerated(this IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<StageResult<GeneratedSource>> sources) =>
        context.RegisterSourceOutput(sources, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Value is { } source) spc.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        });

    /// <summary>
    /// The same for a pipeline whose later stages see no source positions: their diagnostics name the declaration, and
    /// are placed here from <paramref name="places"/>. Only results with such a diagnostic (a stage's internal error,
    /// RNNG011) meet the places, so moving a declaration's lines re-runs nothing but that empty join.
    /// </summary>
    public static void AddGenerated(this IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<StageResult<GeneratedSource>> sources,
        IncrementalValuesProvider<DeclarationPlace> places)
    {
        context.RegisterSourceOutput(sources, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics.Where(d => !d.IsUnplaced)) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Value is { } source) spc.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        });
        var unplaced = sources.Where(static r => r.Diagnostics.Any(d => d.IsUnplaced)).Collect().Combine(places.Collect());
        context.RegisterSourceOutput(unplaced, static (spc, pair) =>
        {
            foreach (var diagnostic in pair.Left.SelectMany(r => r.Diagnostics).Where(d => d.IsUnplaced))
                spc.ReportDiagnostic(diagnostic.ToDiagnostic(Place(diagnostic.Declaration!, pair.Right)));
        });
    }

    /// <summary>Where the named declaration is, or null (the diagnostic is then reported without a location).</summary>
    public static LocationInfo? Place(string declaration, System.Collections.Immutable.ImmutableArray<DeclarationPlace> places) =>
        places.FirstOrDefault(p => p.Declaration == declaration)?.Location;

    /// <summary>Reports the diagnostics of the stages that see source positions (parsing, checking), where they are.</summary>
    public static void ReportDiagnostics<T>(this IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<StageResult<T>> results) where T : class =>
        context.RegisterSourceOutput(results, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
}
