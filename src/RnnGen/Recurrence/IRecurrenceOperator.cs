using System.ComponentModel;
using System.Numerics;

namespace RnnGen.Recurrence;

/// <summary>
/// The fused passes of one cell, as the generator writes them (docs/ARCHITECTURE.md, "The operator/driver line").
/// A struct implements it, so that the driver, generic over that struct, calls each segment without a virtual
/// call or a delegate: the JIT compiles one specialised driver per cell, element type and vector width.
/// </summary>
/// <remarks>
/// Each method runs segment <c>segment</c> of pass <c>pass</c>, for the step <c>frame.Step</c>, over rows
/// [firstRow, endRow) and hidden columns [firstColumn, endColumn), the range a whole number of vectors of
/// <c>TV</c> (the driver runs a row's tail with <c>Scalar&lt;T&gt;</c>).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRecurrenceOperator
{
    static abstract void Forward<T, TV>(int pass, int segment, scoped ref RecurrenceFrame<T> frame, int firstRow, int endRow, int firstColumn, int endColumn)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>;

    static abstract void Backward<T, TV>(int pass, int segment, scoped ref RecurrenceFrame<T> frame, int firstRow, int endRow, int firstColumn, int endColumn)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>;

    /// <summary>
    /// A linear-scan plan's forward pass (<see cref="RecurrenceKind.LinearScan"/>): for every scan state, a and b of
    /// s' = a ⊙ s + b over rows [firstRow, endRow) of the whole [steps, batch] sequence batch (the frame's one step of
    /// steps x batch rows), into <see cref="RecurrenceFrame{T}.ScanCoefficients"/> and <see cref="RecurrenceFrame{T}.ScanOffsets"/>.
    /// Only cells planned as linear scans generate it.
    /// </summary>
    static virtual void LinearCoefficients<T, TV>(scoped ref RecurrenceFrame<T> frame, int firstRow, int endRow, int firstColumn, int endColumn)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T> =>
        throw new NotSupportedException("This cell was planned as a step loop: it has no linear-scan coefficients.");

    /// <summary>
    /// A linear-scan plan's output states (<see cref="RecurrencePlan.IsOutputState"/>), after the scans: their new
    /// values from the scans' new values, over rows [firstRow, endRow) of the whole sequence batch, into
    /// <see cref="RecurrenceFrame{T}.ScanOffsets"/>. Only linear cells with output states generate it.
    /// </summary>
    static virtual void LinearOutputs<T, TV>(scoped ref RecurrenceFrame<T> frame, int firstRow, int endRow, int firstColumn, int endColumn)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T> =>
        throw new NotSupportedException("This cell has no output states.");

    /// <summary>
    /// Before a linear-scan plan's reverse scans: what each output state's adjoint after step t sends to the scans'
    /// new values of step t, added to their adjoints (<see cref="RecurrenceFrame{T}.NextStateAdjoints"/> of the frame
    /// over every step). Only linear cells with output states generate it.
    /// </summary>
    static virtual void LinearOutputAdjoints<T, TV>(scoped ref RecurrenceFrame<T> frame, int firstRow, int endRow, int firstColumn, int endColumn)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T> =>
        throw new NotSupportedException("This cell has no output states.");
}

/// <summary>A cell whose Forward and Backward run through <see cref="RecurrenceDriver"/>: its plan, for runtime code such as inference sessions.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPlannedCell
{
    RecurrencePlan Plan { get; }
}
