using System.Numerics.Tensors;

namespace RnnGen.Kernels;

/// <summary>Softmax with cross-entropy, fused with its gradient, over rows of logits.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// The summed cross-entropy of rows of <paramref name="logits"/> [rows, classes] against one target class
    /// per row; with <paramref name="gradients"/> not empty, also writes d(loss * scale)/d(logits), which is
    /// (softmax - onehot) * scale. The gradients may be the logits themselves (computed in place). Sums in double so a long batch keeps its precision.
    /// </summary>
    public static double Forward(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targetOfRow, Span<float> gradients, float scale)
    {
        int rows = logits.Length / classes;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classes, classes);
            int target = targetOfRow[r];
            if ((uint)target >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targetOfRow), target, $"Target {target} at row {r} is outside the {classes} classes.");
            float max = TensorPrimitives.Max(row);
            float logit = row[target]; // read before the gradient, which may overwrite the logits in place
            if (gradients.IsEmpty)
            {
                double sum = 0;
                foreach (float v in row) sum += Math.Exp(v - max);
                total += Math.Log(sum) + max - logit;
                continue;
            }
            var g = gradients.Slice(r * classes, classes);
            // exp(l - max) into the gradient row, then normalise in place.
            TensorPrimitives.Subtract(row, max, g);
            TensorPrimitives.Exp(g, g);
            float s = TensorPrimitives.Sum(g);
            total += Math.Log(s) + max - logit;
            TensorPrimitives.Multiply(g, scale / s, g);
            g[target] -= scale;
        }
        return total;
    }

    /// <summary>The index of the largest value.</summary>
    public static int ArgMax(ReadOnlySpan<float> values) => TensorPrimitives.IndexOfMax(values);
}
