using System.ComponentModel;
using System.Numerics;

namespace RnnGen.Recurrence;

/// <summary>
/// What a generated cell tells the driver about its step: the products (which weights, stacked how, times
/// which operand, before which pass), the passes, what the forward pass saves for the backward pass, and
/// the vector parameters (biases, LayerNorm gains and shifts) whose gradients are summed per block of rows.
/// Built once per cell instance; immutable.
/// </summary>
/// <remarks>
/// The buffers of a sequence batch of <c>steps</c> x <c>batch</c> rows (<see cref="RecurrenceBuffers{T}"/>), in the
/// tape's slots in this order: each product's [steps, batch, blocks x hidden]; each state's [steps + 1, batch,
/// hidden] (row block t is the state at the start of step t); each saved value's [steps, batch, hidden]; each
/// norm's means and reciprocal deviations, [steps, batch] each; then, for a step that reads its input elementwise,
/// a copy of the inputs, [steps, batch, input]; then, for a linear-scan plan (<see cref="Kind"/>), each scan
/// state's coefficients a, [steps, batch, hidden] (its offsets b are written where the scan leaves the states; output
/// states and shifts have none).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RecurrencePlan
{
    private readonly PassRunner _runner;
    private readonly RecurrenceProduct[] _products;
    private readonly RecurrencePass[] _passes;
    private readonly RecurrenceNorm[] _norms;
    private readonly int[] _vectors;

    private RecurrencePlan(PassRunner runner, string cell, int input, int hidden, int states, int parameterCount,
        RecurrenceProduct[] products, RecurrencePass[] passes, int saved, int adjointSlots, RecurrenceNorm[] norms, int[] vectors,
        string? inputElementwise, int[] outputStates, RecurrenceShift[] shiftStates, RecurrenceKind kind, string reason)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(passes);
        ArgumentNullException.ThrowIfNull(norms);
        ArgumentNullException.ThrowIfNull(vectors);
        if (states <= 0) throw new ArgumentOutOfRangeException(nameof(states), states, $"{cell}: a recurrent cell has at least one state.");
        for (int g = 0; g < products.Length; g++)
            if (products[g].IsInput != (g == 0 && products[g].IsInput))
                throw new ArgumentException($"{cell}: the product of the input must come first (product {g} multiplies the input).", nameof(products));
        // A step that reads its input elementwise (x in a sum, a product or a state of its own) reads element j of x
        // beside element j of the hidden values: the sizes must agree. Known only now, at the layer's construction.
        if (inputElementwise is not null && input != hidden)
            throw new ArgumentException(
                $"{cell}: its step uses its input elementwise ({inputElementwise}), so the input size must equal the hidden size, " +
                $"but this layer has input size {input} and hidden size {hidden}.", nameof(input));
        // The linear plan's passes run over every step at once: they may keep nothing per step between passes.
        if (kind == RecurrenceKind.LinearScan && (passes.Length != 1 || passes[0].Segments != 1 || saved != 0 || adjointSlots != 0 || norms.Length != 0
            || Array.Exists(products, g => !g.IsInput)))
            throw new ArgumentException($"{cell}: a linear-scan plan has one pass of one segment, nothing saved between passes and no product but the input's.", nameof(kind));
        foreach (int k in outputStates)
            if (kind != RecurrenceKind.LinearScan || (uint)k >= (uint)states || k >= 64)
                throw new ArgumentException($"{cell}: output state {k} is not a state of a linear-scan plan of {states} states.", nameof(outputStates));
        foreach (var shift in shiftStates)
            if (kind != RecurrenceKind.LinearScan || shift.State <= 0 || shift.State >= states || shift.State >= 64 || (outputStates.AsSpan().IndexOf(shift.State) >= 0)
                || products.Length == 0 || !products[0].IsInput || (uint)shift.Block >= (uint)products[0].Blocks)
                throw new ArgumentException($"{cell}: shift {shift} is not a state (other than the first) of a linear-scan plan and a block of its input's product.", nameof(shiftStates));
        if (kind == RecurrenceKind.LinearScan && inputElementwise is not null)
            throw new ArgumentException($"{cell}: a linear-scan plan does not read its input elementwise ({inputElementwise}).", nameof(kind));
        _runner = runner;
        Kind = kind;
        foreach (int k in outputStates) _outputStates |= 1UL << k;
        HasOutputStates = outputStates.Length > 0;
        _shifts = shiftStates;
        foreach (var shift in shiftStates) _shiftStates |= 1UL << shift.State;
        if (kind == RecurrenceKind.LinearScan)
        {
            if (states > 64) throw new ArgumentException($"{cell}: a linear-scan plan follows at most 64 states, not {states}.", nameof(states));
            _scanStates = (states == 64 ? ulong.MaxValue : (1UL << states) - 1) & ~_outputStates & ~_shiftStates;
        }
        Reason = reason ?? "";
        Cell = cell;
        ReadsInput = inputElementwise is not null;
        InputSize = input;
        HiddenSize = hidden;
        StateCount = states;
        ParameterCount = parameterCount;
        _products = products;
        _passes = passes;
        SavedCount = saved;
        AdjointSlotCount = adjointSlots;
        _norms = norms;
        _vectors = vectors;
        MaxLevel = 0;
        foreach (var p in passes) MaxLevel = Math.Max(MaxLevel, p.Level);
        foreach (var g in products) MaxLevel = Math.Max(MaxLevel, g.Level);
        HasInputProduct = products.Length > 0 && products[0].IsInput;
        HasRecurrentProducts = products.Length > (HasInputProduct ? 1 : 0);
    }

    /// <summary>The plan of a cell whose passes <typeparamref name="TOperator"/> holds. <c>inputElementwise</c> is null, or
    /// where the step reads its input elementwise (for the message when the input and hidden sizes differ): the passes
    /// then read x from <see cref="RecurrenceBuffers{T}.Inputs"/>.</summary>
    public static RecurrencePlan Create<TOperator>(string cell, int input, int hidden, int states, int parameterCount,
        RecurrenceProduct[] products, RecurrencePass[] passes, int saved, int adjointSlots, RecurrenceNorm[] norms, int[] vectors,
        string? inputElementwise = null, int[]? outputStates = null, RecurrenceShift[]? shiftStates = null,
        RecurrenceKind kind = RecurrenceKind.StepLoop, string reason = "")
        where TOperator : struct, IRecurrenceOperator =>
        new(new PassRunner<TOperator>(), cell, input, hidden, states, parameterCount, products, passes, saved, adjointSlots, norms, vectors,
            inputElementwise, outputStates ?? [], shiftStates ?? [], kind, reason);

    public string Cell { get; }
    /// <summary>Whether the recurrence runs as a step loop or as linear scans: the generator's choice.</summary>
    public RecurrenceKind Kind { get; }
    /// <summary>Why the generator chose <see cref="Kind"/>, in words (the generated file's "Plan:" comment says the same).</summary>
    public string Reason { get; }
    /// <summary>Whether the driver runs the linear-scan path: every state a scan over time.</summary>
    public bool IsLinear => Kind == RecurrenceKind.LinearScan;
    /// <summary>Whether a linear plan's state <paramref name="state"/> is an output state (computed after the scans from
    /// their new values, read by no update) rather than a scan.</summary>
    public bool IsOutputState(int state) => state < 64 && (_outputStates & (1UL << state)) != 0;
    /// <summary>Whether a linear plan has output states.</summary>
    public bool HasOutputStates { get; }
    private readonly ulong _outputStates;
    /// <summary>A linear plan's shifts: states that hold a block of the input's product of the step before.</summary>
    public ReadOnlySpan<RecurrenceShift> Shifts => _shifts;
    private readonly RecurrenceShift[] _shifts;
    /// <summary>Whether a linear plan's state <paramref name="state"/> is a shift (neither a scan nor an output state).</summary>
    public bool IsShiftState(int state) => state < 64 && (_shiftStates & (1UL << state)) != 0;
    private readonly ulong _shiftStates;
    /// <summary>A linear plan's scan states (neither output states nor shifts): the ones with scan coefficients.</summary>
    private readonly ulong _scanStates;
    /// <summary>How many of a linear plan's states are scans, each with a buffer of coefficients.</summary>
    internal int ScanStateCount => BitOperations.PopCount(_scanStates);
    /// <summary>Scan state <paramref name="state"/>'s place among the scan states (its coefficients' buffer).</summary>
    internal int ScanSlot(int state) => state < 64 && (_scanStates & (1UL << state)) != 0
        ? BitOperations.PopCount(_scanStates & ((1UL << state) - 1))
        : throw new ArgumentOutOfRangeException(nameof(state), state, $"{Cell}: state {state} is not a scan of a linear plan.");
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int StateCount { get; }
    public int ParameterCount { get; }
    /// <summary>The products; the input's, if the step has one, first.</summary>
    public ReadOnlySpan<RecurrenceProduct> Products => _products;
    public ReadOnlySpan<RecurrencePass> Passes => _passes;
    /// <summary>The values kept per step for a later pass, a product or the backward pass.</summary>
    public int SavedCount { get; }
    /// <summary>The [batch, hidden] buffers in which an adjoint gathers from several passes during a backward step.</summary>
    public int AdjointSlotCount { get; }
    public ReadOnlySpan<RecurrenceNorm> Norms => _norms;
    /// <summary>The offsets in the flat parameter span of the vector parameters, each [hidden], in the order the passes name them.</summary>
    public ReadOnlySpan<int> Vectors => _vectors;
    public int MaxLevel { get; }
    public bool HasInputProduct { get; }
    public bool HasRecurrentProducts { get; }
    /// <summary>Whether the passes read the input elementwise (the input and hidden sizes are then equal): the driver
    /// copies x into the buffers' <see cref="RecurrenceBuffers{T}.Inputs"/> and adds the passes' input adjoints to dx.</summary>
    public bool ReadsInput { get; }

    /// <summary>The flops of one step's recurrent products over a batch: what decides whether to split the batch.</summary>
    internal double StepFlops(int batch)
    {
        double flops = 0.0;
        foreach (var g in Products)
            if (!g.IsInput) flops += 2.0 * batch * g.Blocks * HiddenSize * HiddenSize;
        return flops;
    }

    /// <summary>
    /// Runs pass <paramref name="pass"/> of step <paramref name="step"/> over rows [firstRow, endRow) and hidden
    /// columns [firstColumn, endColumn) on buffers the caller filled: the products of that pass's level and the
    /// states (and saved values) it reads, and, for a step that reads its input elementwise (<see cref="ReadsInput"/>),
    /// the inputs. Writes the next states (rows of step + 1) and the values it saves.
    /// A column range must start at a multiple of <see cref="RecurrenceDriver.ColumnAlignment"/> for the results
    /// to be the bits of a whole row's; a pass that normalises a row takes whole rows only.
    /// </summary>
    public void ForwardPass<T>(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int step, int pass,
        int firstRow, int endRow, int firstColumn, int endColumn) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (!ReferenceEquals(buffers.Plan, this)) throw new ArgumentException($"{Cell}: the buffers were made for the plan of {buffers.Plan.Cell}, not this one.", nameof(buffers));
        _runner.ForwardPass(this, buffers, parameters, step, pass, firstRow, endRow, firstColumn, endColumn);
    }

    /// <summary>The driver for one operator type behind a plain reference: what runtime code that knows only the plan calls.</summary>
    private abstract class PassRunner
    {
        public abstract void ForwardPass<T>(RecurrencePlan plan, RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int step, int pass,
            int firstRow, int endRow, int firstColumn, int endColumn) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    }

    private sealed class PassRunner<TOperator> : PassRunner where TOperator : struct, IRecurrenceOperator
    {
        public override void ForwardPass<T>(RecurrencePlan plan, RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int step, int pass,
            int firstRow, int endRow, int firstColumn, int endColumn) =>
            RecurrenceDriver.ForwardPass<TOperator, T>(plan, buffers, parameters, step, pass, firstRow, endRow, firstColumn, endColumn);
    }
}
