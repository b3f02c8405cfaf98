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
/// value-equatable result, so an edit elsewhere leaves a cell's stages cached.
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

        var gradients = checkedCells
            .Select(static (c, _) => Stage.Run(c, static cell => Differentiator.Differentiate(Normalizer.Normalize(cell))))
            .WithTrackingName(TrackingNames.Differentiate);

        var plans = gradients
            .Select(static (g, _) => Stage.Run(g, Planner.Plan))
            .WithTrackingName(TrackingNames.Plan);

        var sources = plans
            .Select(static (p, _) => Stage.Run(p, static plan => new GeneratedSource(GeneratorOutput.HintName(plan.Cell.Namespace, plan.Cell.ContainingTypes, plan.Cell.TypeName), CellEmitter.Emit(plan))))
            .WithTrackingName(TrackingNames.Emit);

        context.AddGenerated(sources);

        // The step as data for the ONNX export, a file of its own; the plan's diagnostics were reported with the passes.
        var graphs = plans
            .Select(static (p, _) => Stage.Run(new StageResult<CellPlan>(p.Value, EquatableArray<DiagnosticInfo>.Empty),
                // No file (a null value) when the step uses an operation without an ONNX form: the cell is then not exportable.
                static plan => CellGraphEmitter.Emit(plan) is { } text
                    ? new GeneratedSource(GeneratorOutput.HintName(plan.Cell.Namespace, plan.Cell.ContainingTypes, plan.Cell.TypeName, "Onnx"), text)
                    : null!))
            .WithTrackingName(TrackingNames.EmitGraph);

        context.AddGenerated(graphs);
    }
}

/// <summary>The text of one generated file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

/// <summary>Runs one stage; an unexpected exception becomes diagnostic RNNG011 on the cell instead of a bare CS8785.</summary>
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
            var (name, location) = Describe(input.Value);
            var diagnostics = new System.Collections.Generic.List<DiagnosticInfo>(input.Diagnostics)
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, name, e.GetType().Name + ": " + e.Message),
            };
            return new StageResult<TOut>(null, diagnostics.ToEquatableArray());
        }
    }

    private static (string Name, LocationInfo? Location) Describe(object value) => value switch
    {
        ISourceDeclared d => (d.TypeName, d.Location),
        _ => ("?", null),
    };
}

/// <summary>The names of the pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Check = nameof(Check);
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
