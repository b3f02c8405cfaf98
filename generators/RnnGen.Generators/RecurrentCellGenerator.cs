using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Analysis;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Emit;
using RnnGen.Generators.Model;
using RnnGen.Generators.Parsing;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators;

/// <summary>
/// Wires the cell pipeline: discover [RecurrentCell] classes, parse each Step method into the IR,
/// check shapes, differentiate, plan and emit. Every stage is a pure function of the previous one's
/// value-equatable result, so an edit elsewhere leaves a cell's stages cached; and the stages after the
/// shape check see no source positions, so an edit that only moves a cell's lines leaves them cached too.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RecurrentCellGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName("RnnGen.RecurrentCellAttribute",
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => CellParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        var checkedCells = parsed
            .Select(static (p, _) => ShapeChecker.Check(p))
            .WithTrackingName(TrackingNames.Check);

        // Parsing and the shape check are the stages that see source positions: their diagnostics are reported here,
        // and the later stages get the cell without positions, so that moving its lines leaves them cached.
        context.ReportDiagnostics(checkedCells);
        var places = checkedCells
            .Where(static c => c.Value is not null)
            .Select(static (c, _) => new DeclarationPlace(c.Value!.FullName, c.Value.Location));
        var cells = checkedCells
            .Select(static (c, _) => new StageResult<CellModel>(c.Value?.WithoutPositions(), EquatableArray<DiagnosticInfo>.Empty))
            .WithTrackingName(TrackingNames.DropPositions);

        var gradients = cells
            .Select(static (c, _) => Stage.Run(c, static cell => Differentiator.Differentiate(Normalizer.Normalize(cell))))
            .WithTrackingName(TrackingNames.Differentiate);

        var plans = gradients
            .Select(static (g, _) => Stage.Run(g, Planner.Plan))
            .WithTrackingName(TrackingNames.Plan);

        var sources = plans
            .Select(static (p, _) => Stage.Run(p, static plan => new GeneratedSource(GeneratorOutput.HintName(plan.Cell.Namespace, plan.Cell.ContainingTypes, plan.Cell.TypeName), CellEmitter.Emit(plan))))
            .WithTrackingName(TrackingNames.Emit);

        context.AddGenerated(sources, places);

        // The step as data for the ONNX export, a file of its own; the plan's diagnostics were reported with the passes.
        var graphs = plans
            .Select(static (p, _) => Stage.Run(new StageResult<CellPlan>(p.Value, EquatableArray<DiagnosticInfo>.Empty),
                // No file (a null value) when the step uses an operation without an ONNX form: the cell is then not exportable.
                static plan => CellGraphEmitter.Emit(plan) is { } text
                    ? new GeneratedSource(GeneratorOutput.HintName(plan.Cell.Namespace, plan.Cell.ContainingTypes, plan.Cell.TypeName, "Onnx"), text)
                    : null!))
            .WithTrackingName(TrackingNames.EmitGraph);

        context.AddGenerated(graphs, places);
    }
}

/// <summary>The text of one generated file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

/// <summary>
/// Runs one stage; an unexpected exception becomes diagnostic RNNG011 on the declaration instead of a bare CS8785. A
/// value without a source position (a cell past the shape check) gets the diagnostic by name, and the output step
/// places it (<see cref="GeneratorOutput.AddGenerated(IncrementalGeneratorInitializationContext, IncrementalValuesProvider{StageResult{GeneratedSource}}, IncrementalValuesProvider{DeclarationPlace})"/>).
/// </summary>
internal static class Stage
{
    public static StageResult<TOut> Run<TIn, TOut>(StageResult<TIn> input, Func<TIn, TOut> stage)
        where TIn : class where TOut : class
    {
        if (input.Value is null) return new StageResult<TOut>(null, input.Diagnostics);
        try
        {
            return new StageResult<TOut>(stage(input.Value), input.Diagnostics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var (name, location, declaration) = Describe(input.Value);
            var diagnostics = new System.Collections.Generic.List<DiagnosticInfo>(input.Diagnostics)
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, name, e.GetType().Name + ": " + e.Message)
                    with { Declaration = location is null ? declaration : null },
            };
            return new StageResult<TOut>(null, diagnostics.ToEquatableArray());
        }
    }

    private static (string Name, LocationInfo? Location, string? Declaration) Describe(object value) => value switch
    {
        CellModel c => (c.TypeName, c.Location, c.FullName),
        CellGradient g => (g.TypeName, g.Location, g.Cell.FullName),
        CellPlan p => (p.TypeName, p.Location, p.Cell.FullName),
        ISourceDeclared d => (d.TypeName, d.Location, null),
        _ => ("?", null, null),
    };
}

/// <summary>The names of the pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Check = nameof(Check);
    /// <summary>The checked cell without source positions: unchanged by an edit that only moves the cell's lines.</summary>
    public const string DropPositions = nameof(DropPositions);
    public const string Differentiate = nameof(Differentiate);
    public const string Plan = nameof(Plan);
    public const string Emit = nameof(Emit);
    public const string EmitGraph = nameof(EmitGraph);
    public const string ParseModel = nameof(ParseModel);
    public const string EmitModel = nameof(EmitModel);
    public const string ParseSeq2Seq = nameof(ParseSeq2Seq);
    public const string EmitSeq2Seq = nameof(EmitSeq2Seq);
    public const string ParseClassifier = nameof(ParseClassifier);
    public const string EmitClassifier = nameof(EmitClassifier);
    public const string ParseTagger = nameof(ParseTagger);
    public const string EmitTagger = nameof(EmitTagger);
    public const string ParseRegressor = nameof(ParseRegressor);
    public const string EmitRegressor = nameof(EmitRegressor);
}
