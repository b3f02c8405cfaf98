namespace RnnGen;

/// <summary>
/// What a cell's forward pass keeps for its backward pass: buffers reused from call to call so that
/// a training step allocates nothing once the largest sequence batch has been seen.
/// </summary>
public sealed class CellTape<T> where T : unmanaged
{
    private T[][] _slots = [];

    public int Steps { get; private set; }
    /// <summary>The recurrence driver's buffers and scratch on this tape (<c>Recurrence.RecurrenceBuffers</c>, one per cell that uses it): per call, not per cell instance.</summary>
    internal object? Recurrence { get; set; }
    public int Batch { get; private set; }

    /// <summary>Records the sequence batch shape of the forward pass that fills this tape.</summary>
    public void Begin(int steps, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        Steps = steps;
        Batch = batch;
    }

    /// <summary>The buffer in slot <paramref name="index"/>, at least <paramref name="length"/> long; contents persist between calls.</summary>
    public T[] Slot(int index, int length)
    {
        if (index >= _slots.Length) Array.Resize(ref _slots, index + 1);
        var slot = _slots[index];
        if (slot is null || slot.Length < length) _slots[index] = slot = new T[length];
        return slot;
    }
}
