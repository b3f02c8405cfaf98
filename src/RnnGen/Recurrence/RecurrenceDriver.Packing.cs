using System.Numerics;
using RnnGen.Kernels;

namespace RnnGen.Recurrence;

public static partial class RecurrenceDriver
{
    /// <summary>
    /// Packs every run of recurrent weights once for a whole window: for the forward products (h · Wᵀ, so the
    /// weights transposed) or for the backward ones (dP · W).
    /// </summary>
    private static void PackRecurrentWeights<T>(RecurrencePlan plan, ReadOnlySpan<T> parameters, bool forward, PackedMatrix<T>[][] packings)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int H = plan.HiddenSize;
        for (int g = 0; g < plan.Products.Length; g++)
        {
            var product = plan.Products[g];
            if (product.IsInput) continue;
            for (int r = 0; r < product.Runs.Length; r++)
            {
                var run = product.Runs[r];
                var weights = parameters.Slice(run.Weight);
                if (forward) Gemm.Pack<T>(true, H, run.Blocks * H, weights, H, packings[g][r]);
                else Gemm.Pack<T>(false, run.Blocks * H, H, weights, H, packings[g][r]);
            }
        }
    }
}
