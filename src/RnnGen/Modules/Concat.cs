using System.Numerics;

namespace RnnGen.Modules;

/// <summary>Two row-aligned inputs side by side, [a; b] per row. No parameters.</summary>
public sealed class Concat<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _output = [], _first = [], _second = [];

    public Concat(int first, int second) => (First, Second) = (first, second);

    public int First { get; }
    public int Second { get; }

    // forward: z[r] = [a[r]; b[r]]                       a [rows, A], b [rows, B] -> z [rows, A + B]
    public Span<T> Forward(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int rows)
    {
        int A = First, W = First + Second;
        var z = Buffer.Get(ref _output, rows * W);
        for (int r = 0; r < rows; r++)
        {
            a.Slice(r * A, A).CopyTo(z.Slice(r * W, A));
            b.Slice(r * Second, Second).CopyTo(z.Slice(r * W + A, Second));
        }
        return z;
    }

    // backward: da[r] = dz[r, :A], db[r] = dz[r, A:]     dz [rows, A + B] -> da [rows, A], db [rows, B]
    public void Backward(ReadOnlySpan<T> dz, int rows, out Span<T> dA, out Span<T> dB)
    {
        int A = First, W = First + Second;
        dA = Buffer.Get(ref _first, rows * A);
        dB = Buffer.Get(ref _second, rows * Second);
        for (int r = 0; r < rows; r++)
        {
            dz.Slice(r * W, A).CopyTo(dA.Slice(r * A, A));
            dz.Slice(r * W + A, Second).CopyTo(dB.Slice(r * Second, Second));
        }
    }
}
