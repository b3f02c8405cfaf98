using RnnGen.Recurrence;

namespace RnnGen.Inference;

/// <summary>
/// A layer's step split over the cores by hidden columns, in one parallel region per token: part p owns columns
/// [First, End) and, per product of the cell's plan, the rows of the stacked weights those columns need (gate
/// block k's rows k·H + j for its j), stored as a <see cref="QuantizedMatrix"/> at the session's precision. It
/// computes its columns of every product (the input's from x, each recurrent one from the state at the start of
/// the step) and runs the cell's generated passes over its columns: the whole step of its columns, with nothing
/// shared between parts but x and the states read. Part p runs on the same pool worker at every token
/// (<see cref="QuantizedParts"/>), so its block of weights stays in that core's L2.
/// </summary>
/// <remarks>
/// <para>Same bits on any number of threads: a product row's sum does not depend on which rows go with it, and a pass
/// over columns that start at a multiple of <see cref="RecurrenceDriver.ColumnAlignment"/> gives the bits of the
/// whole row. Not the bits of <see cref="CellLayerStep"/> at Float32: the products sum in the quantized kernels'
/// order, not GEMM's (a few ulps of each product apart).</para>
/// <para>The weights and biases are copied at creation: the step does not read the model afterwards.</para>
/// </remarks>
internal sealed unsafe class FusedLayerStep : LayerStep
{
    private readonly RecurrencePlan _plan;
    private readonly float[] _parameters;
    private readonly RecurrenceBuffers<float> _buffers;
    private readonly Part[] _parts;

    /// <summary>One core's columns and its rows of each product's weights, with the product's scratch rows [batch, rows]
    /// and its own buffer for the prepared x (made here, so no thread allocates when it first runs the part).</summary>
    private sealed record Part(int First, int End, QuantizedMatrix[] Weights, float[] Scratch, QuantizedInput Input);

    /// <summary>The step of <paramref name="cell"/> over <paramref name="parameters"/> (its slice of the model's store,
    /// copied), for <paramref name="batch"/> rows, its weights at <paramref name="precision"/>, split for <paramref name="threads"/>.</summary>
    public FusedLayerStep(IPlannedCell cell, ReadOnlySpan<float> parameters, int batch, Precision precision, int threads)
        : base(cell.Plan.InputSize, cell.Plan.HiddenSize, cell.Plan.StateCount, batch)
    {
        _plan = cell.Plan;
        if (FusedColumns.WhyNot(_plan) is { } why)
            throw new ArgumentException($"{_plan.Cell} cannot be split by hidden columns: {why}.", nameof(cell));
        if (parameters.Length < _plan.ParameterCount)
            throw new ArgumentException($"{_plan.Cell}: 'parameters' holds {parameters.Length} values but needs {_plan.ParameterCount}.", nameof(parameters));
        _parameters = parameters.Slice(0, _plan.ParameterCount).ToArray();
        _buffers = RecurrenceBuffers<float>.For(_plan, new CellTape<float>(), steps: 1, batch);

        int H = HiddenSize, parts = FusedColumns.Parts(H, threads);
        var stacked = new float[_plan.Products.Length][];
        for (int g = 0; g < stacked.Length; g++) stacked[g] = Stacked(_plan.Products[g]);
        _parts = new Part[parts];
        for (int p = 0; p < parts; p++)
        {
            var (first, end) = FusedColumns.Range(H, p, parts);
            var weights = new QuantizedMatrix[_plan.Products.Length];
            int scratch = 0;
            for (int g = 0; g < weights.Length; g++)
            {
                var product = _plan.Products[g];
                var rows = new int[product.Blocks * (end - first)];
                for (int k = 0, i = 0; k < product.Blocks; k++)
                    for (int j = first; j < end; j++) rows[i++] = k * H + j;
                weights[g] = QuantizedMatrix.Create(stacked[g], product.Blocks * H, Columns(product), precision, rows);
                scratch = Math.Max(scratch, batch * rows.Length);
            }
            var widest = weights.MaxBy(w => w.PaddedColumns);
            _parts[p] = new Part(first, end, weights, new float[scratch], widest is null ? new QuantizedInput() : QuantizedInput.For(widest));
        }
    }

    /// <summary>The number of parts one step is split into (fixed at creation).</summary>
    public int Parts => _parts.Length;

    private int Columns(RecurrenceProduct product) => product.IsInput ? InputSize : HiddenSize;

    /// <summary>A product's weights stacked as the driver multiplies them: its runs' rows one after another, [blocks x H, columns].</summary>
    private float[] Stacked(RecurrenceProduct product)
    {
        int H = HiddenSize, columns = Columns(product);
        var stacked = new float[product.Blocks * H * columns];
        foreach (var run in product.Runs)
            _parameters.AsSpan(run.Weight, run.Blocks * H * columns).CopyTo(stacked.AsSpan(run.FirstBlock * H * columns));
        return stacked;
    }

    public override ReadOnlySpan<float> Step(ReadOnlySpan<float> x)
    {
        if (x.Length != Batch * InputSize)
            throw new ArgumentException($"{_plan.Cell}: x holds {x.Length} values, not [{Batch} rows, {InputSize} inputs].", nameof(x));
        int n = Batch * HiddenSize;
        // The states at the start of the step are row block 0 of the buffers' states; the passes write block 1.
        for (int k = 0; k < StateCount; k++)
            State.AsSpan(k * n, n).CopyTo(_buffers.States(k));
        if (_plan.ReadsInput) x.CopyTo(_buffers.Inputs); // a step that reads x elementwise reads it beside the states
        fixed (float* px = x)
            QuantizedParts.Run(_parts.Length, new Body(this, px));
        for (int k = 0; k < StateCount; k++)
            _buffers.States(k).Slice(n, n).CopyTo(State.AsSpan(k * n, n));
        // The output is the first state after the step.
        return State.AsSpan(0, n);
    }

    /// <summary>Part p's whole step: its columns of every product, then every pass over its columns.</summary>
    private void Run(int p, float* x)
    {
        var part = _parts[p];
        int B = Batch, H = HiddenSize, width = part.End - part.First;
        if (width == 0) return;
        for (int g = 0; g < _plan.Products.Length; g++)
        {
            var product = _plan.Products[g];
            var weights = part.Weights[g];
            fixed (float* scratch = part.Scratch)
            {
                if (product.IsInput)
                    weights.MultiplyRows(part.Input, x, InputSize, B, scratch, weights.Rows, 0, weights.Rows, accumulate: false);
                else
                    fixed (float* state = _buffers.States(product.Operand.Index))
                        weights.MultiplyRows(part.Input, state, H, B, scratch, weights.Rows, 0, weights.Rows, accumulate: false);
                // Scatter: scratch [batch, blocks x width] to the plan's layout [batch, blocks x H], block k at k·H + First.
                var to = _buffers.Products(g);
                int row = product.Blocks * H;
                for (int b = 0; b < B; b++)
                    for (int k = 0; k < product.Blocks; k++)
                        new ReadOnlySpan<float>(scratch + (b * product.Blocks + k) * width, width)
                            .CopyTo(to.Slice(b * row + k * H + part.First, width));
            }
        }
        for (int pass = 0; pass < _plan.Passes.Length; pass++)
            _plan.ForwardPass(_buffers, _parameters, step: 0, pass, 0, B, part.First, part.End);
    }

    /// <summary>The region's body: a struct, so a token's region allocates nothing.</summary>
    private readonly struct Body(FusedLayerStep step, float* x) : IPartBody
    {
        public void Run(int part, int parts) => step.Run(part, x);
    }
}
