using Microsoft.CodeAnalysis;
using RnnGen.Generators.Analysis;
using RnnGen.Generators.Model;
using RnnGen.Generators.Parsing;

namespace RnnGen.Generators;

/// <summary>
/// Wires the cell pipeline: discover [RecurrentCell] classes, parse each Step method into the IR,
/// check shapes, differentiate, plan and emit. Every stage is a pure function of the previous one's
/// value-equatable result, so an edit elsewhere leaves a cell's stages cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RecurrentCellGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName("RnnGen.RecurrentCellAttribute",
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (ctx, ct) => CellParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        var checkedCells = parsed.Select(static (p, _) => ShapeChecker.Check(p)).WithTrackingName(TrackingNames.Check);

        context.RegisterSourceOutput(checkedCells, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }
}

/// <summary>The names of the pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Check = nameof(Check);
    public const string Differentiate = nameof(Differentiate);
    public const string Plan = nameof(Plan);
    public const string Emit = nameof(Emit);
}
