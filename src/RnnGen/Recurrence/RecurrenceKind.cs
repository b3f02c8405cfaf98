using System.ComponentModel;

namespace RnnGen.Recurrence;

/// <summary>How the driver runs a cell's recurrence; the generator chooses, and <see cref="RecurrencePlan.Reason"/> says why.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum RecurrenceKind
{
    /// <summary>Step after step: each step's recurrent products, then its fused passes; backward in reverse.</summary>
    StepLoop,

    /// <summary>
    /// Every state's next value is a ⊙ s + b with a and b free of states, and every product multiplies the input:
    /// a and b of every step in one fused pass over all rows (<see cref="IRecurrenceOperator.LinearCoefficients"/>),
    /// then a scan over time per state (<see cref="Kernels.LinearScan{T}"/>); backward, a reverse scan for the
    /// states' adjoints, then the step's backward pass over every step at once.
    /// </summary>
    LinearScan,
}
