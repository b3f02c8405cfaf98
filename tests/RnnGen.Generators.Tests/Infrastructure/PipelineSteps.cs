using Microsoft.CodeAnalysis;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>Reads the tracked steps of a generator run: which cell each output belongs to, and why it was produced.</summary>
internal static class PipelineSteps
{
    public static readonly string[] CellSteps =
    {
        TrackingNames.Parse, TrackingNames.Check, TrackingNames.Differentiate, TrackingNames.Plan, TrackingNames.Emit,
    };

    /// <summary>The steps of the sequence-model generator, parse then emit for each topology.</summary>
    public static readonly string[] SequenceModelSteps =
    {
        TrackingNames.ParseClassifier, TrackingNames.EmitClassifier, TrackingNames.ParseTagger, TrackingNames.EmitTagger,
        TrackingNames.ParseRegressor, TrackingNames.EmitRegressor,
    };

    /// <summary>Every output of the named tracked step, with the cell it belongs to.</summary>
    public static IReadOnlyList<(string Cell, IncrementalStepRunReason Reason, object Value)> Outputs(GeneratorRun run, string step)
    {
        Assert.True(run.Result.TrackedSteps.TryGetValue(step, out var steps),
            $"no tracked step '{step}'; tracked: {string.Join(", ", run.Result.TrackedSteps.Keys)}");
        return steps.SelectMany(s => s.Outputs).Select(o => (CellOf(o.Value), o.Reason, o.Value)).ToList();
    }

    public static string CellOf(object value) => value switch
    {
        StageResult<CellModel> r => r.Value?.TypeName ?? "?",
        StageResult<CellGradient> r => r.Value?.Cell.TypeName ?? "?",
        StageResult<CellPlan> r => r.Value?.Cell.TypeName ?? "?",
        StageResult<RnnGen.Generators.Topology.SequenceModelSpec> r => r.Value?.TypeName ?? "?",
        StageResult<GeneratedSource> r => r.Value?.HintName.Split('.')[^3] ?? "?",
        _ => throw new InvalidOperationException("unexpected pipeline value " + value.GetType()),
    };

    public static bool IsReused(IncrementalStepRunReason reason) =>
        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;

    public static bool IsRecomputed(IncrementalStepRunReason reason) =>
        reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New;
}
