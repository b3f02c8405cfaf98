using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using RnnGen.Generators.Topology;

namespace RnnGen.Generators;

/// <summary>Turns each [Seq2Seq] class into a <c>Seq2SeqModel</c> whose encoder and decoder layers are generated cells.</summary>
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
                (model.Namespace is null ? "" : model.Namespace + ".") + string.Concat(System.Linq.Enumerable.Select(model.ContainingTypes, t => t + ".")) + model.TypeName + ".Seq2Seq.g.cs",
                Seq2SeqEmitter.Emit(model))))
            .WithTrackingName(TrackingNames.EmitSeq2Seq);

        context.RegisterSourceOutput(sources, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Value is { } source) spc.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        });
    }
}
