using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Topology;

namespace RnnGen.Generators;

/// <summary>Turns each [Seq2Seq] class into a <c>Seq2SeqModel</c> with a generated network: its modules at the declared sizes and its training step.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class Seq2SeqGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName("RnnGen.Seq2SeqAttribute",
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Seq2SeqParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.ParseSeq2Seq);

        var sources = models
            .Select(static (m, _) => Stage.Run(m, static model => new GeneratedSource(
                GeneratorOutput.HintName(model.Namespace, model.ContainingTypes, model.TypeName, "Seq2Seq"),
                Seq2SeqEmitter.Emit(model))))
            .WithTrackingName(TrackingNames.EmitSeq2Seq);

        context.AddGenerated(sources);
    }
}
