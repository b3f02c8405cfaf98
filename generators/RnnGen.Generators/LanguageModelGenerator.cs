using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using RnnGen.Generators.Topology;

namespace RnnGen.Generators;

/// <summary>Turns each [LanguageModel] class into a <c>LanguageModel</c> whose layers are generated cells.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class LanguageModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName("RnnGen.LanguageModelAttribute",
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => ModelParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.ParseModel);

        var sources = models
            .Select(static (m, _) => Stage.Run(m, static model => new GeneratedSource(
                string.Join(".", new[] { model.Namespace }.Concat(model.ContainingTypes).Concat(new[] { model.TypeName }).Where(n => !string.IsNullOrEmpty(n))) + ".Model.g.cs",
                ModelEmitter.Emit(model))))
            .WithTrackingName(TrackingNames.EmitModel);

        context.RegisterSourceOutput(sources, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Value is { } source) spc.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        });
    }
}
