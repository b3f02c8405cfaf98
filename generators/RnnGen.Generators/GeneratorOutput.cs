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
}
