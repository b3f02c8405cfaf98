using System.ComponentModel;

namespace RnnGen.Recurrence;

/// <summary>
/// The elementwise work of a step after the products of level <see cref="Level"/>: <see cref="Segments"/>
/// fused loops over a row, in order, with the row statistics of a LayerNorm between two of them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RecurrencePass(int Level, int Segments);

/// <summary>
/// A LayerNorm of pass <see cref="Pass"/> that starts segment <see cref="Segment"/>: its input is saved value
/// <see cref="Input"/>, its statistics are norm buffers <see cref="Index"/>, its output's adjoint is adjoint slot
/// <see cref="AdjointSlot"/> and its gain is vector parameter <see cref="Gain"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RecurrenceNorm(int Pass, int Segment, int Input, int AdjointSlot, int Gain);

/// <summary>
/// A linear plan's shift: state <see cref="State"/>'s next value is block <see cref="Block"/> of the input's product
/// (the <c>W * x</c> that <c>W * Prev(x)</c> carries), so its value in step t is that block of step t - 1, known before
/// any scan. The driver copies it in before the coefficients' pass and, backward, adds what reaches it in step t to
/// that block's adjoint of step t - 1.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RecurrenceShift(int State, int Block);
