using System.ComponentModel;

namespace RnnGen.Recurrence;

/// <summary>
/// The buffers of one sequence batch of a cell, laid out as <see cref="RecurrencePlan"/> says, and the driver's
/// scratch for it: the adjoints of the backward pass, the packed recurrent weights, the step that threads share.
/// It lives on the <see cref="CellTape{T}"/> of the call, so the cell itself holds no per-call state and two callers
/// with their own tapes can run one cell at once.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RecurrenceBuffers<T> where T : unmanaged
{
    private readonly T[][] _forward;
    private T[][] _adjoints = [];
    private int _productLength, _stateLength, _rows;

    private RecurrenceBuffers(RecurrencePlan plan)
    {
        Plan = plan;
        _forward = new T[plan.Products.Length + plan.StateCount + plan.SavedCount + 2 * plan.Norms.Length + (plan.ReadsInput ? 1 : 0) + (plan.IsLinear ? plan.ScanStateCount : 0)][];
        PackedForward = new PackedMatrix<T>[plan.Products.Length][];
        PackedBackward = new PackedMatrix<T>[plan.Products.Length][];
        for (int g = 0; g < plan.Products.Length; g++)
        {
            PackedForward[g] = new PackedMatrix<T>[plan.Products[g].Runs.Length];
            PackedBackward[g] = new PackedMatrix<T>[plan.Products[g].Runs.Length];
            for (int r = 0; r < PackedForward[g].Length; r++)
            {
                PackedForward[g][r] = new PackedMatrix<T>();
                PackedBackward[g][r] = new PackedMatrix<T>();
            }
        }
    }

    public RecurrencePlan Plan { get; }
    public int Steps { get; private set; }
    public int Batch { get; private set; }

    // The driver's state for one call, read by the threads that share it.
    internal readonly PackedMatrix<T>[][] PackedForward, PackedBackward;
    internal bool Packed;
    internal int Step, Pass, PassParts;
    /// <summary>A linear plan's scan (a LinearScan&lt;T&gt;, which needs more of T than these buffers do), made on first use.</summary>
    internal object? Scan;
    /// <summary>Where a linear plan's backward scan leaves the initial states' gradient when the caller wants none.</summary>
    internal T[] UnwantedGradient = [];

    /// <summary>
    /// The buffers of <paramref name="tape"/> for a batch of <paramref name="steps"/> x <paramref name="batch"/> rows
    /// of <paramref name="plan"/>'s cell: what runtime code that runs a cell's passes itself fills and reads.
    /// </summary>
    public static RecurrenceBuffers<T> For(RecurrencePlan plan, CellTape<T> tape, int steps, int batch)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tape);
        tape.Begin(steps, batch);
        return Of(plan, tape);
    }

    /// <summary>The buffers of the shape the tape last began, bound to its slots (grown where too small).</summary>
    internal static RecurrenceBuffers<T> Of(RecurrencePlan plan, CellTape<T> tape)
    {
        var buffers = Find(plan, tape);
        buffers.Bind(tape);
        return buffers;
    }

    /// <summary>The tape's buffers for this plan. A tape may serve several cells in turn (generation runs every layer
    /// through one): each keeps its own scratch and packings, the few most recent of them, so that alternating
    /// cells allocates nothing; the forward buffers are the tape's slots, shared.</summary>
    private static RecurrenceBuffers<T> Find(RecurrencePlan plan, CellTape<T> tape)
    {
        const int Kept = 8;
        if (tape.Recurrence is not RecurrenceBuffers<T>[] kept) tape.Recurrence = kept = new RecurrenceBuffers<T>[Kept];
        for (int i = 0; i < kept.Length; i++)
            if (kept[i] is { } found && ReferenceEquals(found.Plan, plan)) return found;
        // A plan not seen lately takes the first free place, else the oldest one's.
        int place = Array.IndexOf(kept, null);
        if (place < 0)
        {
            Array.Copy(kept, 1, kept, 0, kept.Length - 1);
            place = kept.Length - 1;
        }
        return kept[place] = new RecurrenceBuffers<T>(plan);
    }

    private void Bind(CellTape<T> tape)
    {
        Steps = tape.Steps;
        Batch = tape.Batch;
        int H = Plan.HiddenSize;
        _rows = Steps * Batch;
        _productLength = _rows * H;
        _stateLength = (Steps + 1) * Batch * H;
        int slot = 0;
        foreach (var g in Plan.Products) _forward[slot] = tape.Slot(slot++, _rows * g.Blocks * H);
        for (int k = 0; k < Plan.StateCount; k++) _forward[slot] = tape.Slot(slot++, _stateLength);
        for (int s = 0; s < Plan.SavedCount; s++) _forward[slot] = tape.Slot(slot++, _productLength);
        for (int n = 0; n < 2 * Plan.Norms.Length; n++) _forward[slot] = tape.Slot(slot++, _rows);
        if (Plan.ReadsInput) _forward[slot] = tape.Slot(slot++, _productLength); // input size = hidden size
        if (Plan.IsLinear)
            for (int k = 0; k < Plan.ScanStateCount; k++) _forward[slot] = tape.Slot(slot++, _productLength);
    }

    /// <summary>The backward pass's buffers, grown for this shape: product adjoints, two adjoints per state, the
    /// adjoint slots, the norms' row sums and the per-block vector-parameter gradient sums. A linear plan keeps each
    /// state's adjoint for every step instead, [steps, batch, hidden], in the first of its two.</summary>
    internal void BindAdjoints()
    {
        int H = Plan.HiddenSize, count = Plan.Products.Length + 2 * Plan.StateCount + Plan.AdjointSlotCount + Plan.Norms.Length + 1 + (Plan.ReadsInput ? 1 : 0);
        if (_adjoints.Length != count) _adjoints = new T[count][];
        int slot = 0;
        foreach (var g in Plan.Products) Grow(slot++, _rows * g.Blocks * H);
        for (int k = 0; k < 2 * Plan.StateCount + Plan.AdjointSlotCount; k++) Grow(slot++, Plan.IsLinear && k < 2 * Plan.StateCount && k % 2 == 0 ? _rows * H : Batch * H);
        for (int n = 0; n < Plan.Norms.Length; n++) Grow(slot++, 2 * Batch);
        Grow(slot++, GradientBlocks * Plan.Vectors.Length * H);
        if (Plan.ReadsInput) Grow(slot, _productLength);
    }

    /// <summary>The blocks of rows that sum their own vector-parameter gradients: of the batch for a step loop, of
    /// every step's rows for a linear plan, whose backward pass runs over all of them at once.</summary>
    internal int GradientBlocks => Plan.IsLinear ? TimeBatch.Blocks(_rows) : RowSplit.Blocks(Batch);

    private void Grow(int slot, int length)
    {
        if (_adjoints[slot] is null || _adjoints[slot].Length < length) _adjoints[slot] = new T[length];
    }

    private int StatesAt => Plan.Products.Length;
    private int SavedAt => StatesAt + Plan.StateCount;
    private int NormsAt => SavedAt + Plan.SavedCount;
    private int InputsAt => NormsAt + 2 * Plan.Norms.Length;
    private int ScansAt => InputsAt + (Plan.ReadsInput ? 1 : 0);

    /// <summary>Product <paramref name="product"/>'s buffer, [steps, batch, blocks x hidden].</summary>
    public Span<T> Products(int product) => _forward[product].AsSpan(0, _productLength * Plan.Products[product].Blocks);
    /// <summary>State <paramref name="state"/> at the start of every step and after the last, [steps + 1, batch, hidden].</summary>
    public Span<T> States(int state) => _forward[StatesAt + state].AsSpan(0, _stateLength);
    /// <summary>Saved value <paramref name="value"/>, [steps, batch, hidden].</summary>
    public Span<T> Saved(int value) => _forward[SavedAt + value].AsSpan(0, _productLength);
    /// <summary>A linear plan's scan coefficients a of state <paramref name="state"/>, [steps, batch, hidden].</summary>
    public Span<T> ScanCoefficients(int state) => _forward[ScansAt + Plan.ScanSlot(state)].AsSpan(0, _productLength);
    /// <summary>A linear plan's scan offsets b of state <paramref name="state"/>, [steps, batch, hidden]: the state's
    /// rows after each step, which the scan then overwrites with the states themselves.</summary>
    public Span<T> ScanOffsets(int state) => States(state).Slice(Batch * Plan.HiddenSize, _productLength);
    /// <summary>Norm <paramref name="norm"/>'s row means, [steps, batch].</summary>
    public Span<T> Means(int norm) => _forward[NormsAt + 2 * norm].AsSpan(0, _rows);
    /// <summary>Norm <paramref name="norm"/>'s reciprocal row deviations, [steps, batch].</summary>
    public Span<T> Rstds(int norm) => _forward[NormsAt + 2 * norm + 1].AsSpan(0, _rows);

    internal Span<T> ProductAdjoints(int product) => _adjoints[product].AsSpan(0, _productLength * Plan.Products[product].Blocks);
    /// <summary>One of the two [batch, hidden] adjoints of a state that the steps of the backward pass alternate between.</summary>
    /// <summary>For a linear plan both are the state's adjoint of every step, dL/ds_t, [steps, batch, hidden]: its
    /// backward pass reads row (t, b) as the adjoint after step t, and what it adds for "before the step" is not read
    /// again (the scan has already carried it), so it may land on the element just read.</summary>
    internal Span<T> StateAdjoints(int state, int which) => Plan.IsLinear
        ? _adjoints[Plan.Products.Length + 2 * state].AsSpan(0, _rows * Plan.HiddenSize)
        : _adjoints[Plan.Products.Length + 2 * state + which].AsSpan(0, Batch * Plan.HiddenSize);
    internal Span<T> AdjointSlot(int slot) => _adjoints[Plan.Products.Length + 2 * Plan.StateCount + slot].AsSpan(0, Batch * Plan.HiddenSize);
    internal Span<T> NormSums(int norm) => _adjoints[Plan.Products.Length + 2 * Plan.StateCount + Plan.AdjointSlotCount + norm].AsSpan(0, 2 * Batch);
    /// <summary>[vectors, blocks, hidden]: each block of rows sums its own vector-parameter gradients.</summary>
    internal Span<T> VectorGradients => _adjoints[VectorGradientsAt].AsSpan(0, GradientBlocks * Plan.Vectors.Length * Plan.HiddenSize);
    private int VectorGradientsAt => Plan.Products.Length + 2 * Plan.StateCount + Plan.AdjointSlotCount + Plan.Norms.Length;

    /// <summary>The inputs of every step, [steps, batch, input], for a step that reads them elementwise
    /// (<see cref="RecurrencePlan.ReadsInput"/>; input size = hidden size): the driver copies them here, and runtime
    /// code that runs the passes itself fills them as it fills the states.</summary>
    public Span<T> Inputs => Plan.ReadsInput ? _forward[InputsAt].AsSpan(0, _productLength)
        : throw new InvalidOperationException($"{Plan.Cell}: its step does not read its input elementwise, so it keeps no copy of the inputs.");
    /// <summary>What the passes add to the inputs' adjoints where a step reads its input elementwise, [steps, batch, input].</summary>
    internal Span<T> InputAdjoints => _adjoints[VectorGradientsAt + 1].AsSpan(0, _productLength);
}
