namespace RnnGen.Tests.Quantized;

/// <summary>Random weights and inputs, and the products in double with the error bounds each precision must meet.</summary>
internal static class QuantizedReference
{
    internal static readonly QuantizedPath[] Paths = [QuantizedPath.Scalar, QuantizedPath.Vector256, QuantizedPath.Vector512];

    /// <summary>Uniform(-a, a) with a = 1/sqrt(columns): how the cells and Linear initialise, and close to trained weights' range.</summary>
    public static float[] Weights(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        float a = 1 / MathF.Sqrt(columns);
        var w = new float[rows * columns];
        for (int i = 0; i < w.Length; i++)
            w[i] = (float)(random.NextDouble() * 2 - 1) * a;
        return w;
    }

    /// <summary>Uniform(-1, 1): the range of a hidden state.</summary>
    public static float[] Input(int batch, int columns, int seed)
    {
        var random = new Random(seed);
        var x = new float[batch * columns];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }

    public static double Dot(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int c = 0; c < w.Length; c++)
            sum += (double)w[c] * x[c];
        return sum;
    }

    public static double AbsDot(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int c = 0; c < w.Length; c++)
            sum += Math.Abs((double)w[c] * x[c]);
        return sum;
    }

    /// <summary>
    /// A float sum of n products, each rounded once (fma) into partial sums that are then added: at most
    /// (n + lanes) roundings of at most 2^-24 of the running magnitude, which Σ|w x| bounds.
    /// </summary>
    public static double FloatBound(int columns, double absDot) => (columns + 16) * Math.Pow(2, -24) * absDot + 1e-30;

    /// <summary>The weights a matrix multiplies by, as floats, row by row.</summary>
    public static float[] Stored(QuantizedMatrix m)
    {
        var w = new float[m.Rows * m.Columns];
        for (int r = 0; r < m.Rows; r++)
            for (int c = 0; c < m.Columns; c++)
                w[r * m.Columns + c] = m.StoredWeight(r, c);
        return w;
    }
}
