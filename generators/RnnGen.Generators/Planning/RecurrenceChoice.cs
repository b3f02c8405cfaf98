using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Planning;

/// <summary>
/// How the driver runs the recurrence of a cell: a step loop, or (<see cref="IsLinear"/>) linear scans, and why
/// (<see cref="Reason"/>, which the generated file and the runtime plan both carry).
/// </summary>
internal sealed record RecurrenceChoice(bool IsLinear, string Reason, EquatableArray<ScanState> Scans)
{
    /// <summary>The output states: computed after the scans from their new values, never read by an update.</summary>
    public EquatableArray<int> Outputs { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The shifts: states whose next value is block <see cref="ShiftState.Block"/> of the input's product.</summary>
    public EquatableArray<ShiftState> Shifts { get; init; } = EquatableArray<ShiftState>.Empty;

    public static RecurrenceChoice StepLoop(string reason) => new(false, reason, EquatableArray<ScanState>.Empty);
}

/// <summary>
/// A state whose next value is <c>Coefficient ⊙ state + Offset</c>, both free of states: terms over the step's
/// state-free nodes, and their DSL text for the comments.
/// </summary>
internal sealed record ScanState(int State, Term Coefficient, Term Offset, string CoefficientText, string OffsetText);

/// <summary>A state whose next value is block <paramref name="Block"/> of the input's product: in step t it holds that
/// product of step t - 1 (its initial value in step 0), which the driver copies in before the scans.</summary>
internal sealed record ShiftState(int State, int Block);
