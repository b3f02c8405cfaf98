using System.Runtime.CompilerServices;
using RnnGen.Models;

namespace RnnGen.Kernels;

public sealed unsafe partial class QuantizedMatrix
{
    /// <summary>y = W x (or y += W x) for every row: x [batch, Columns], y [batch, Rows], on the calling thread.</summary>
    public void Multiply(ReadOnlySpan<float> x, int batch, Span<float> y, bool accumulate = false) =>
        MultiplyRows(x, batch, y, 0, Rows, accumulate);

    /// <summary>
    /// Rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) of y = W x (or y += W x): x [batch, Columns],
    /// y [batch, Rows]; y's other rows are left as they are. Any range gives its rows the same bits as a whole product.
    /// </summary>
    public void MultiplyRows(ReadOnlySpan<float> x, int batch, Span<float> y, int firstRow, int endRow, bool accumulate = false)
    {
        CheckProduct(x.Length, batch, y.Length, firstRow, endRow);
        fixed (float* px = x, py = y)
            MultiplyRows(QuantizedPaths.Hardware, QuantizedInput.ForThread(), px, Columns, batch, py, Rows, firstRow, endRow, accumulate);
    }

    /// <summary>The span form on a chosen path, for tests.</summary>
    internal void MultiplyRows(QuantizedPath path, ReadOnlySpan<float> x, int batch, Span<float> y, int firstRow, int endRow, bool accumulate = false)
    {
        CheckProduct(x.Length, batch, y.Length, firstRow, endRow);
        fixed (float* px = x, py = y)
            MultiplyRows(path, QuantizedInput.ForThread(), px, Columns, batch, py, Rows, firstRow, endRow, accumulate);
    }

    /// <summary>
    /// The pointer form of <see cref="MultiplyRows(ReadOnlySpan{float}, int, Span{float}, int, int, bool)"/>, for the
    /// parts of a <see cref="QuantizedParts"/> region (spans cannot cross threads): x's rows <paramref name="ldx"/>
    /// floats apart, y's <paramref name="ldy"/>, y[b * ldy + r] for the rows r of the range.
    /// </summary>
    public void MultiplyRows(float* x, int ldx, int batch, float* y, int ldy, int firstRow, int endRow, bool accumulate) =>
        MultiplyRows(QuantizedInput.ForThread(), x, ldx, batch, y, ldy, firstRow, endRow, accumulate);

    /// <summary>The pointer form with x prepared in <paramref name="input"/>: for a part of a region that owns its buffer
    /// (a pool worker's thread buffer would be made at whichever token it first runs a part).</summary>
    internal void MultiplyRows(QuantizedInput input, float* x, int ldx, int batch, float* y, int ldy, int firstRow, int endRow, bool accumulate)
    {
        if (ldx < Columns || ldy < endRow)
            throw new ArgumentException($"Row strides ldx = {ldx}, ldy = {ldy} are shorter than the {Columns} columns of x or the rows up to {endRow} of y.");
        CheckRange(batch, firstRow, endRow);
        MultiplyRows(QuantizedPaths.Hardware, input, x, ldx, batch, y, ldy, firstRow, endRow, accumulate);
    }

    /// <summary>
    /// y = W x (or y += W x) split over <see cref="Parallelism.MaxThreads"/> parts, part p the rows of
    /// <see cref="PartRows"/>(p, parts) on the same pool thread at every call, so that each core's block of weights
    /// stays in its cache between calls. The same bits as <see cref="Multiply"/> for any number of parts.
    /// </summary>
    public void MultiplyParallel(ReadOnlySpan<float> x, int batch, Span<float> y, bool accumulate = false)
    {
        CheckProduct(x.Length, batch, y.Length, 0, Rows);
        int parts = WeightBytes < ParallelMinBytes ? 1 : Math.Min(Parallelism.MaxThreads, Panels);
        // Each part prepares x in a buffer of its own, made here on the caller (at the first call, or when the parts
        // grow) rather than by whichever thread runs the part. A second thread multiplying by this matrix at the same
        // time finds the buffers taken and makes its own for that call.
        var inputs = Interlocked.Exchange(ref _partInputs, null);
        if (inputs is null || inputs.Length < parts)
        {
            var grown = new QuantizedInput[parts];
            for (int p = 0; p < parts; p++)
                grown[p] = inputs is not null && p < inputs.Length ? inputs[p] : QuantizedInput.For(this);
            inputs = grown;
        }
        try
        {
            fixed (float* px = x, py = y)
                QuantizedParts.Run(parts, new SplitProduct(this, inputs, px, batch, py, accumulate));
        }
        finally
        {
            Volatile.Write(ref _partInputs, inputs);
        }
    }

    /// <summary>The buffers of <see cref="MultiplyParallel"/>'s parts, one per part; null while a call holds them.</summary>
    private QuantizedInput[]? _partInputs;

    /// <summary>One part of <see cref="MultiplyParallel"/>: its rows of the product.</summary>
    private readonly struct SplitProduct(QuantizedMatrix matrix, QuantizedInput[] inputs, float* x, int batch, float* y, bool accumulate) : IPartBody
    {
        public void Run(int part, int parts)
        {
            var (first, end) = matrix.PartRows(part, parts);
            matrix.MultiplyRows(QuantizedPaths.Hardware, inputs[part], x, matrix.Columns, batch, y, matrix.Rows, first, end, accumulate);
        }
    }

    private void CheckProduct(int xLength, int batch, int yLength, int firstRow, int endRow)
    {
        CheckRange(batch, firstRow, endRow);
        if (xLength != (long)batch * Columns)
            throw new ArgumentException($"x holds {xLength} values, not batch {batch} x {Columns} columns = {(long)batch * Columns}.", "x");
        if (yLength != (long)batch * Rows)
            throw new ArgumentException($"y holds {yLength} values, not batch {batch} x {Rows} rows = {(long)batch * Rows}.", "y");
    }

    private void CheckRange(int batch, int firstRow, int endRow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (firstRow < 0 || endRow > Rows || firstRow > endRow)
            throw new ArgumentOutOfRangeException(nameof(firstRow), $"Rows [{firstRow}, {endRow}) are not a range of the matrix's {Rows} rows.");
    }

    /// <summary>
    /// The product on a chosen path (tests force each one). Batch rows one after another, each row's x prepared once;
    /// whole panels inside the range by the 8-row kernel, the rows of a panel cut by the range by the one-row
    /// kernel, which runs the same operations for a row as the panel kernel.
    /// </summary>
    // Fully optimised at the first call, as the kernels are: a session's first tokens should not run unoptimised loops.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void MultiplyRows(QuantizedPath path, QuantizedInput input, float* x, int ldx, int batch, float* y, int ldy, int firstRow, int endRow, bool accumulate)
    {
        float* sums = stackalloc float[PanelRows];
        for (int b = 0; b < batch; b++)
        {
            float* xb = x + (long)b * ldx;
            float* yb = y + (long)b * ldy;
            float xScale = 1;
            void* prepared = Precision switch
            {
                Precision.Float32 => input.Floats(xb, Columns, PaddedColumns),
                Precision.BFloat16 => input.BFloat16Pairs(path, xb, Columns, PaddedColumns),
                _ => input.Int8Codes(xb, Columns, PaddedColumns, out xScale),
            };
            int r = firstRow;
            while (r < endRow)
            {
                if (r % PanelRows == 0 && r + PanelRows <= endRow)
                {
                    Panel(path, r, prepared, sums);
                    for (int j = 0; j < PanelRows; j++)
                        Store(yb, r + j, sums[j], xScale, accumulate);
                    r += PanelRows;
                }
                else
                {
                    Store(yb, r, Row(path, r, prepared), xScale, accumulate);
                    r++;
                }
            }
        }
    }

    private void Store(float* y, int row, float sum, float xScale, bool accumulate)
    {
        float value = Precision == Precision.Int8 ? sum * (_scales[row] * xScale) : sum;
        y[row] = accumulate ? y[row] + value : value;
    }

    private float Row(QuantizedPath path, int row, void* x)
    {
        byte* w = ChunkAt(row, 0);
        return (Precision, path) switch
        {
            (Precision.Float32, QuantizedPath.Vector512) => QuantizedFloat32Kernel.Row512((float*)w, Chunks, (float*)x),
            (Precision.Float32, QuantizedPath.Vector256) => QuantizedFloat32Kernel.Row256((float*)w, Chunks, (float*)x),
            (Precision.Float32, _) => QuantizedFloat32Kernel.RowScalar((float*)w, Chunks, (float*)x),
            (Precision.BFloat16, QuantizedPath.Vector512) => QuantizedBFloat16Kernel.Row512((uint*)w, Chunks, (float*)x),
            (Precision.BFloat16, QuantizedPath.Vector256) => QuantizedBFloat16Kernel.Row256((uint*)w, Chunks, (float*)x),
            (Precision.BFloat16, _) => QuantizedBFloat16Kernel.RowScalar((uint*)w, Chunks, (float*)x),
            (_, QuantizedPath.Vector512) => QuantizedInt8Kernel.Row512((sbyte*)w, Chunks, (short*)x),
            (_, QuantizedPath.Vector256) => QuantizedInt8Kernel.Row256((sbyte*)w, Chunks, (short*)x),
            _ => QuantizedInt8Kernel.RowScalar((sbyte*)w, Chunks, (short*)x),
        };
    }

    private void Panel(QuantizedPath path, int row, void* x, float* sums)
    {
        byte* w = ChunkAt(row, 0);
        switch (Precision, path)
        {
            case (Precision.Float32, QuantizedPath.Vector512): QuantizedFloat32Kernel.Panel512((float*)w, Chunks, (float*)x, sums); return;
            case (Precision.Float32, QuantizedPath.Vector256): QuantizedFloat32Kernel.Panel256((float*)w, Chunks, (float*)x, sums); return;
            case (Precision.BFloat16, QuantizedPath.Vector512): QuantizedBFloat16Kernel.Panel512((uint*)w, Chunks, (float*)x, sums); return;
            case (Precision.BFloat16, QuantizedPath.Vector256): QuantizedBFloat16Kernel.Panel256((uint*)w, Chunks, (float*)x, sums); return;
            case (Precision.Int8, QuantizedPath.Vector512): QuantizedInt8Kernel.Panel512((sbyte*)w, Chunks, (short*)x, sums); return;
            case (Precision.Int8, QuantizedPath.Vector256): QuantizedInt8Kernel.Panel256((sbyte*)w, Chunks, (short*)x, sums); return;
        }
        // The scalar path has no panel kernel: its rows one by one.
        for (int j = 0; j < PanelRows; j++)
            sums[j] = Row(path, row + j, x);
    }
}
