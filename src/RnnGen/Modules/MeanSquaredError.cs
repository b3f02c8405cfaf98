using System.Numerics;

namespace RnnGen.Modules;

/// <summary>Mean squared error over the real rows of a padded batch (a row mask says which). No parameters.</summary>
public sealed class MeanSquaredError<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _gradient = [];

    // forward: loss = Σ_{r real} Σ_o (y[r, o] − t[r, o])² / (N · outputs),  N = real rows      y, t [rows, outputs]
    public T Forward(ReadOnlySpan<T> y, ReadOnlySpan<T> targets, int outputs, ReadOnlySpan<bool> real)
    {
        int rows = y.Length / outputs;
        double total = 0;
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            if (!real[r]) continue;
            count++;
            for (int o = 0; o < outputs; o++)
            {
                double e = double.CreateTruncating(y[r * outputs + o] - targets[r * outputs + o]);
                total += e * e;
            }
        }
        if (count == 0) throw new ArgumentException("The batch has no real rows.", nameof(real));
        return T.CreateTruncating(total / ((double)count * outputs));
    }

    // backward: dy[r, o] = 2 (y[r, o] − t[r, o]) / (N · outputs) on real rows, 0 on padding
    public Span<T> Backward(ReadOnlySpan<T> y, ReadOnlySpan<T> targets, int outputs, ReadOnlySpan<bool> real)
    {
        int rows = y.Length / outputs, count = 0;
        for (int r = 0; r < rows; r++) if (real[r]) count++;
        var dy = Buffer.Get(ref _gradient, y.Length);
        T scale = T.CreateTruncating(2.0 / ((double)count * outputs));
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outputs; o++)
            {
                int i = r * outputs + o;
                dy[i] = real[r] ? (y[i] - targets[i]) * scale : T.Zero;
            }
        return dy;
    }
}
