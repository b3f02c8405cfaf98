using System.ComponentModel;
using System.Runtime.CompilerServices;
using RnnGen.Models;

namespace RnnGen.Kernels;

/// <summary>
/// A weight matrix W [rows, columns] stored once for inference in fp32, bf16 or int8 (one scale per row), and the
/// products y = W x for one to a few rows of x that read it. Batch-1 generation is bound by reading the weights, so
/// the layout serves one pass over contiguous memory: rows in panels of <see cref="PanelRows"/>, each panel's rows
/// interleaved by chunks of <see cref="ChunkColumns"/> columns (row 0's first chunk, row 1's, ..., then every row's
/// second chunk), a whole panel's chunk being what one step of the kernel reads. Panels follow each other, so any
/// run of whole panels (a core's share, <see cref="PartRows"/>) is one contiguous block.
/// <para>Each row's sum is computed by the same operations in the same order whatever rows, row range, batch size or
/// split go with it, so splitting a product over any number of cores gives the same bits.</para>
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe partial class QuantizedMatrix
{
    /// <summary>Rows a panel interleaves: the rows one batch-1 kernel step sums at once (one accumulator each).</summary>
    public const int PanelRows = 8;

    /// <summary>Columns of one chunk of a row: 128 bytes of fp32, 64 of bf16, 32 of int8, whole vectors on every path.</summary>
    public const int ChunkColumns = 32;

    /// <summary>The widest int8 rows: x's codes still have 258 levels a side there (<see cref="QuantizedInput.Int8InputMax"/>).</summary>
    public const int MaxInt8Columns = 65536;

    /// <summary>Below this many weight bytes, <see cref="MultiplyParallel"/> stays on one thread: waking another costs more.</summary>
    internal const long ParallelMinBytes = 64 * 1024;

    // The packed weights live in a pinned array, so the workers of a split can read them through one pointer,
    // aligned to a cache line by an offset into it.
    private readonly byte[] _storage;
    private readonly byte* _data;
    private readonly float[] _scales;

    private QuantizedMatrix(int rows, int columns, Precision precision)
    {
        Rows = rows;
        Columns = columns;
        Precision = precision;
        Chunks = (columns + ChunkColumns - 1) / ChunkColumns;
        Panels = (rows + PanelRows - 1) / PanelRows;
        ElementBytes = precision switch
        {
            Precision.Float32 => 4,
            Precision.BFloat16 => 2,
            Precision.Int8 => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Not a precision."),
        };
        if (precision == Precision.Int8 && PaddedColumns > MaxInt8Columns)
            throw new ArgumentException($"Int8 weights take at most {MaxInt8Columns:N0} columns (x's codes keep every sum within int32); got {columns:N0}.", nameof(columns));
        long bytes = (long)Panels * PanelBytes;
        if (bytes > Array.MaxLength - 64)
            throw new ArgumentException($"A {rows} x {columns} {precision} matrix needs {bytes:N0} bytes, more than one array holds.");
        _storage = GC.AllocateArray<byte>((int)bytes + 64, pinned: true);
        byte* start = (byte*)Unsafe.AsPointer(ref _storage[0]);
        _data = start + ((64 - (nint)start % 64) % 64);
        _scales = precision == Precision.Int8 ? new float[Panels * PanelRows] : [];
    }

    /// <summary>Rows of W, and of the output y.</summary>
    public int Rows { get; }

    /// <summary>Columns of W: the length of one row of x.</summary>
    public int Columns { get; }

    public Precision Precision { get; }

    /// <summary>Bytes one whole product reads from the weights (padding and int8's scales included).</summary>
    public long WeightBytes => (long)Panels * PanelBytes + _scales.Length * sizeof(float);

    internal int Chunks { get; }
    internal int Panels { get; }
    internal int ElementBytes { get; }
    internal int ChunkBytes => ChunkColumns * ElementBytes;
    internal int PaddedColumns => Chunks * ChunkColumns;
    internal int PanelBytes => Chunks * PanelRows * ChunkBytes;

    /// <summary>The int8 scale of <paramref name="row"/> (max|row| / 127; 0 for a zero row).</summary>
    internal float RowScale(int row) => _scales[row];

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/>: a run of whole panels fixed by the rows and the parts alone.</summary>
    public (int First, int End) PartRows(int part, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if ((uint)part >= (uint)parts)
            throw new ArgumentOutOfRangeException(nameof(part), part, $"Part of {parts} parts.");
        int first = (int)((long)Panels * part / parts) * PanelRows;
        int end = (int)((long)Panels * (part + 1) / parts) * PanelRows;
        return (Math.Min(first, Rows), Math.Min(end, Rows));
    }

    /// <summary>Builds the matrix from W [rows, columns], row-major (y = W x, as PyTorch's Linear stores it).</summary>
    public static QuantizedMatrix Create(ReadOnlySpan<float> weights, int rows, int columns, Precision precision)
    {
        CheckShape(weights, rows, columns);
        var matrix = new QuantizedMatrix(rows, columns, precision);
        for (int r = 0; r < rows; r++)
            matrix.SetRow(r, weights.Slice(r * columns, columns), r);
        return matrix;
    }

    /// <summary>
    /// Builds the matrix from a subset of W's rows in the caller's order: its row i is W's row
    /// <paramref name="rowIndices"/>[i], so a product writes y[i] for that row (for one core: the gate rows of its
    /// hidden columns, gate by gate, next to each other in its output). Rows may repeat.
    /// </summary>
    public static QuantizedMatrix Create(ReadOnlySpan<float> weights, int rows, int columns, Precision precision, ReadOnlySpan<int> rowIndices)
    {
        CheckShape(weights, rows, columns);
        if (rowIndices.Length == 0)
            throw new ArgumentException("At least one row index.", nameof(rowIndices));
        var matrix = new QuantizedMatrix(rowIndices.Length, columns, precision);
        for (int i = 0; i < rowIndices.Length; i++)
        {
            int r = rowIndices[i];
            if ((uint)r >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(rowIndices), r, $"Row index {i} is {r}, outside the {rows} rows of the weights.");
            matrix.SetRow(i, weights.Slice(r * columns, columns), r);
        }
        return matrix;
    }

    private static void CheckShape(ReadOnlySpan<float> weights, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (weights.Length != (long)rows * columns)
            throw new ArgumentException($"The weights hold {weights.Length} values, not {rows} x {columns} = {(long)rows * columns}.", nameof(weights));
    }

    /// <summary>The first byte of chunk <paramref name="chunk"/> of <paramref name="row"/>.</summary>
    internal byte* ChunkAt(int row, int chunk) =>
        _data + (long)(row / PanelRows) * PanelBytes + ((long)chunk * PanelRows + row % PanelRows) * ChunkBytes;

    /// <summary>Stores W's row <paramref name="source"/> as this matrix's row <paramref name="row"/>; the padding stays zero.</summary>
    private void SetRow(int row, ReadOnlySpan<float> values, int source)
    {
        Span<sbyte> codes = Precision == Precision.Int8 ? new sbyte[Columns] : default;
        if (Precision == Precision.Int8)
            _scales[row] = QuantizedRounding.QuantizeRow(values, codes, source);
        for (int c = 0; c < Columns; c++)
        {
            byte* at = ChunkAt(row, c / ChunkColumns) + c % ChunkColumns * ElementBytes;
            switch (Precision)
            {
                case Precision.Float32: *(float*)at = values[c]; break;
                case Precision.BFloat16: *(ushort*)at = QuantizedRounding.ToBFloat16(values[c]); break;
                default: *(sbyte*)at = codes[c]; break;
            }
        }
    }

    /// <summary>The weight the products use at [row, column], as a float (int8: code x scale): for tests and error bounds.</summary>
    internal float StoredWeight(int row, int column)
    {
        byte* at = ChunkAt(row, column / ChunkColumns) + column % ChunkColumns * ElementBytes;
        return Precision switch
        {
            Precision.Float32 => *(float*)at,
            Precision.BFloat16 => QuantizedRounding.FromBFloat16(*(ushort*)at),
            _ => *(sbyte*)at * _scales[row],
        };
    }
}
