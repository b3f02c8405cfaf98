using System.Numerics;
using System.Numerics.Tensors;

namespace RnnGen.Modules;

/// <summary>
/// Softmax cross-entropy averaged over the rows that have a target; a negative target marks padding,
/// which adds nothing to the loss and gets a zero gradient. No parameters.
/// </summary>
public sealed class SoftmaxCrossEntropy<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The target of a row that is padding.</summary>
    public const int Ignore = -1;
    private int _rows, _classes;

    // forward: loss = Σ_{r: t[r] ≥ 0} −log softmax(z[r])[t[r]] / N,  N = rows with a target   z [rows, classes]
    // With keepGradient the same pass overwrites z with dz (what Backward returns): one exp per logit, not two.
    public T Forward(Span<T> logits, int classes, ReadOnlySpan<int> targets, bool keepGradient)
    {
        int rows = logits.Length / classes;
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            int target = targets[r];
            if (target == Ignore) continue;
            if ((uint)target >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), target, $"Target {target} at row {r} is outside the {classes} classes.");
            count++;
        }
        if (count == 0) throw new ArgumentException("The batch has no targets.", nameof(targets));
        (_rows, _classes) = (rows, classes);
        T scale = T.One / T.CreateTruncating(count);
        double total = 0; // summed in double so that a long batch keeps its precision
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classes, classes);
            int target = targets[r];
            if (target == Ignore)
            {
                if (keepGradient) row.Clear();
                continue;
            }
            T max = TensorPrimitives.Max<T>(row);
            T logit = row[target];
            if (!keepGradient)
            {
                double sum = 0;
                foreach (T v in row) sum += Math.Exp(double.CreateTruncating(v - max));
                total += Math.Log(sum) + double.CreateTruncating(max - logit);
                continue;
            }
            // backward, fused: dz[r] = (softmax(z[r]) − onehot(t[r])) / N, written over z[r]
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp<T>(row, row);
            T s = TensorPrimitives.Sum<T>(row);
            total += Math.Log(double.CreateTruncating(s)) + double.CreateTruncating(max - logit);
            TensorPrimitives.Multiply(row, scale / s, row);
            row[target] -= scale;
        }
        return T.CreateTruncating(total / count);
    }

    // backward: dz, left in the logits by Forward(keepGradient: true)          dz [rows, classes]
    public Span<T> Backward(Span<T> logits)
    {
        if (logits.Length != _rows * _classes) throw new InvalidOperationException("Backward needs the logits of the last Forward(keepGradient: true).");
        return logits;
    }
}
