namespace RnnGen.Kernels;

/// <summary>Token embedding: row lookup forward, row accumulation backward.</summary>
public static class Embedding
{
    /// <summary>output[t, b] = table[ids[b, t]]: the batch's row-major [batch, steps] ids into time-major rows.</summary>
    public static void Gather(ReadOnlySpan<float> table, int width, ReadOnlySpan<int> ids, int batch, int steps, Span<float> output)
    {
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                table.Slice(ids[b * steps + t] * width, width).CopyTo(output.Slice((t * batch + b) * width, width));
    }

    /// <summary>tableGradient[ids[b, t]] += gradient[t, b].</summary>
    public static void Scatter(Span<float> tableGradient, int width, ReadOnlySpan<int> ids, int batch, int steps, ReadOnlySpan<float> gradient)
    {
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
            {
                var row = tableGradient.Slice(ids[b * steps + t] * width, width);
                System.Numerics.Tensors.TensorPrimitives.Add(row, gradient.Slice((t * batch + b) * width, width), row);
            }
    }
}
