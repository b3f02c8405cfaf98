using System.Threading;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Model;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Topology;

namespace RnnGen.Generators;

/// <summary>
/// Turns each [SequenceClassifier], [SequenceTagger] and [SequenceRegressor] class into a model of that topology
/// whose layers are generated cells: one pipeline per attribute, each parse → emit.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SequenceModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        Add(context, "RnnGen.SequenceClassifierAttribute", SequenceModelParser.ParseClassifier, TrackingNames.ParseClassifier, TrackingNames.EmitClassifier);
        Add(context, "RnnGen.SequenceTaggerAttribute", SequenceModelParser.ParseTagger, TrackingNames.ParseTagger, TrackingNames.EmitTagger);
        Add(context, "RnnGen.SequenceRegressorAttribute", SequenceModelParser.ParseRegressor, TrackingNames.ParseRegressor, TrackingNames.EmitRegressor);
    }

    private static void Add(IncrementalGeneratorInitializationContext context, string attribute,
        System.Func<GeneratorAttributeSyntaxContext, CancellationToken, StageResult<SequenceModelSpec>> parse, string parseName, string emitName)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(attribute, static (node, _) => node is ClassDeclarationSyntax, parse)
            .WithTrackingName(parseName);

        var sources = models
            .Select(static (m, _) => Stage.Run(m, static model => new GeneratedSource(
                GeneratorOutput.HintName(model.Namespace, model.ContainingTypes, model.TypeName, model.Topology.ToString()),
                SequenceModelEmitter.Emit(model))))
            .WithTrackingName(emitName);

        context.AddGenerated(sources);
    }
}
