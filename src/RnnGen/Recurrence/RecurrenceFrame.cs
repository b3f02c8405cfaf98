using System.ComponentModel;

namespace RnnGen.Recurrence;

/// <summary>
/// What a generated pass sees of the current call: the buffers of the sequence batch, the parameters, and the
/// step it works on. One per thread; the driver makes it, the passes only read buffers from it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct RecurrenceFrame<T> where T : unmanaged
{
    private readonly RecurrenceBuffers<T> _buffers;
    private readonly int _gradientBlocks;

    internal RecurrenceFrame(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int step)
        : this(buffers, parameters, step, buffers.Batch, buffers.Steps)
    {
    }

    private RecurrenceFrame(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int step, int batch, int steps)
    {
        _buffers = buffers;
        Parameters = parameters;
        Batch = batch;
        Hidden = buffers.Plan.HiddenSize;
        Steps = steps;
        Step = step;
        _gradientBlocks = buffers.GradientBlocks;
    }

    /// <summary>
    /// The frame of a linear plan's passes over every step at once: one step of steps x batch rows, so that row b of
    /// it is row b of the [steps, batch] sequence batch, a state read at that row is the state before that step, and
    /// the state adjoints are those of every step (<see cref="RecurrenceBuffers{T}.StateAdjoints"/>).
    /// </summary>
    internal static RecurrenceFrame<T> AllSteps(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters) =>
        new(buffers, parameters, 0, buffers.Steps * buffers.Batch, 1);

    public readonly ReadOnlySpan<T> Parameters;
    public readonly int Batch, Hidden, Steps;
    public int Step;

    internal readonly RecurrencePlan Plan => _buffers.Plan;
    internal readonly RecurrenceBuffers<T> Buffers => _buffers;

    /// <summary>Row (Step, b) of the [steps, batch] sequence batch.</summary>
    public readonly int Row(int b) => Step * Batch + b;

    public readonly Span<T> Products(int product) => _buffers.Products(product);
    public readonly Span<T> ProductAdjoints(int product) => _buffers.ProductAdjoints(product);
    public readonly Span<T> States(int state) => _buffers.States(state);
    public readonly Span<T> Saved(int value) => _buffers.Saved(value);
    /// <summary>A linear plan's a of s' = a ⊙ s + b for state <paramref name="state"/>, every step, [steps, batch, hidden].</summary>
    public readonly Span<T> ScanCoefficients(int state) => _buffers.ScanCoefficients(state);
    /// <summary>A linear plan's b of s' = a ⊙ s + b for state <paramref name="state"/>, every step, [steps, batch, hidden].</summary>
    public readonly Span<T> ScanOffsets(int state) => _buffers.ScanOffsets(state);
    public readonly Span<T> Means(int norm) => _buffers.Means(norm);
    public readonly Span<T> Rstds(int norm) => _buffers.Rstds(norm);
    /// <summary>The inputs, [steps, batch, input], for a step that reads them elementwise (input size = hidden size).</summary>
    public readonly Span<T> Inputs() => _buffers.Inputs;
    /// <summary>Where such a step's passes add the adjoints of the inputs they read, [steps, batch, input].</summary>
    public readonly Span<T> InputAdjoints() => _buffers.InputAdjoints;

    /// <summary>The adjoint of a state after this step, [batch, hidden]: the two buffers swap roles every step.</summary>
    public readonly Span<T> NextStateAdjoints(int state) => _buffers.StateAdjoints(state, (Steps - 1 - Step) & 1);
    /// <summary>The adjoint of a state before this step, [batch, hidden], which this step's backward pass adds to.</summary>
    public readonly Span<T> PrevStateAdjoints(int state) => _buffers.StateAdjoints(state, 1 - ((Steps - 1 - Step) & 1));
    public readonly Span<T> AdjointSlot(int slot) => _buffers.AdjointSlot(slot);
    /// <summary>A norm's backward row means, [batch, 2]: mean(dy * gain) then mean(dy * gain * x̂).</summary>
    public readonly Span<T> NormSums(int norm) => _buffers.NormSums(norm);

    /// <summary>Vector parameter <paramref name="vector"/> (a bias, a gain or a shift), [hidden].</summary>
    public readonly ReadOnlySpan<T> Vector(int vector) => Parameters.Slice(_buffers.Plan.Vectors[vector], Hidden);
    /// <summary>Vector parameter <paramref name="vector"/>'s gradient sums, [blocks, hidden]; row b adds to <see cref="GradientRow"/>.</summary>
    public readonly Span<T> VectorGradients(int vector)
    {
        int length = _gradientBlocks * Hidden;
        return _buffers.VectorGradients.Slice(vector * length, length);
    }

    /// <summary>Where row b's block starts in a vector gradient's sums: each block of rows sums its own, so that
    /// the order of every sum is fixed by the batch alone and not by how rows are shared between threads.</summary>
    public readonly int GradientRow(int b) => RowSplit.BlockOf(b, Batch, _gradientBlocks) * Hidden;
}
