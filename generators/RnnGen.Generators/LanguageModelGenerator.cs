using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
                GeneratorOutput.HintName(model.Namespace, model.ContainingTypes, model.TypeName, "Model"),
                ModelEmitter.Emit(model))))
            .WithTrackingName(TrackingNames.EmitModel);

        context.AddGenerated(sources);
    }
}
