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
