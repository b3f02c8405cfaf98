using System.Numerics;

namespace RnnGen.Modules;

/// <summary>One vector per row from a padded sequence of outputs, over the row's real positions only. No parameters.</summary>
public sealed class SequencePooling<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _pooled = [], _gradient = [];
    private int[] _argMax = [], _lengths = [];
    private int _steps, _batch;

    /// <param name="kind">Last position, mean or max.</param>
    /// <param name="width">The width of each position: hidden size times directions.</param>
    /// <param name="directions">2 when the second half of each position was read backwards (matters for <see cref="Pooling.Last"/>).</param>
    public SequencePooling(Pooling kind, int width, int directions = 1)
    {
        if (directions is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(directions), directions, "One or two directions.");
        if (width % directions != 0) throw new ArgumentException($"Width {width} does not split into {directions} directions.", nameof(width));
        Kind = kind;
        Width = width;
        Directions = directions;
    }

    public Pooling Kind { get; }
    public int Width { get; }
    public int Directions { get; }

    // forward: last: p[b] = y[len_b − 1, b] (backward half: y[0, b]); mean: Σ_{s<len_b} y[s, b] / len_b; max: max_{s<len_b} y[s, b]
    //          y [S, B, width] -> p [B, width]
    public Span<T> Forward(ReadOnlySpan<T> y, int steps, int batch, ReadOnlySpan<int> lengths)
    {
        RecurrentStack<T>.CheckLengths(lengths, steps, batch);
        (_steps, _batch) = (steps, batch);
        lengths.CopyTo(Buffer.Get(ref _lengths, batch));
        int W = Width, half = W / Directions;
        var p = Buffer.Get(ref _pooled, batch * W);
        var argMax = Buffer.Get(ref _argMax, Kind == Pooling.Max ? batch * W : 0);
        for (int b = 0; b < batch; b++)
        {
            int n = lengths[b];
            var row = p.Slice(b * W, W);
            switch (Kind)
            {
                case Pooling.Last:
                    y.Slice(((n - 1) * batch + b) * W, half).CopyTo(row);
                    if (Directions == 2) y.Slice(b * W + half, half).CopyTo(row.Slice(half));
                    break;
                case Pooling.Mean:
                    row.Clear();
                    for (int s = 0; s < n; s++)
                    {
                        var at = y.Slice((s * batch + b) * W, W);
                        for (int i = 0; i < W; i++) row[i] += at[i];
                    }
                    T inv = T.One / T.CreateTruncating(n);
                    for (int i = 0; i < W; i++) row[i] *= inv;
                    break;
                case Pooling.Max:
                    for (int i = 0; i < W; i++)
                    {
                        int best = 0;
                        T max = y[b * W + i];
                        for (int s = 1; s < n; s++)
                        {
                            T v = y[(s * batch + b) * W + i];
                            if (v > max) (max, best) = (v, s); // ties go to the first
                        }
                        row[i] = max;
                        argMax[b * W + i] = best;
                    }
                    break;
            }
        }
        return p;
    }

    // backward: dy is zero except where the forward read: the last (and first) positions, every real one (mean, ÷ len_b), the arg max
    //           dp [B, width] -> dy [S, B, width]
    public Span<T> Backward(ReadOnlySpan<T> dp)
    {
        int steps = _steps, batch = _batch, W = Width, half = W / Directions;
        var dy = Buffer.Get(ref _gradient, steps * batch * W);
        dy.Clear();
        for (int b = 0; b < batch; b++)
        {
            int n = _lengths[b];
            var row = dp.Slice(b * W, W);
            switch (Kind)
            {
                case Pooling.Last:
                    row.Slice(0, half).CopyTo(dy.Slice(((n - 1) * batch + b) * W, half));
                    if (Directions == 2)
                    {
                        var first = dy.Slice(b * W + half, half);
                        for (int i = 0; i < half; i++) first[i] += row[half + i];
                    }
                    break;
                case Pooling.Mean:
                    T inv = T.One / T.CreateTruncating(n);
                    for (int s = 0; s < n; s++)
                    {
                        var at = dy.Slice((s * batch + b) * W, W);
                        for (int i = 0; i < W; i++) at[i] = row[i] * inv;
                    }
                    break;
                case Pooling.Max:
                    for (int i = 0; i < W; i++) dy[(_argMax[b * W + i] * batch + b) * W + i] = row[i];
                    break;
            }
        }
        return dy;
    }
}
