using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Recurrence;

public static partial class RecurrenceDriver
{
    /// <summary>
    /// Backpropagation through time: the steps in reverse; in each, the passes in reverse, each followed by the
    /// products that fed it (adjoint of an operand = stacked weightsᵀ * adjoint of the products); then the weight
    /// gradients as products over all steps at once, and the vector-parameter gradients summed block by block.
    /// </summary>
    public static void Backward<TOperator, T>(RecurrencePlan plan, ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, CellTape<T> tape,
        ReadOnlySpan<T> outputGradients, ReadOnlySpan<T> finalStateGradients, Span<T> parameterGradients, Span<T> inputGradients, Span<T> initialStateGradients)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated) Backward<TOperator, T, Simd512<T>>(plan, parameters, inputs, tape, outputGradients, finalStateGradients, parameterGradients, inputGradients, initialStateGradients);
        else if (Vector256.IsHardwareAccelerated) Backward<TOperator, T, Simd256<T>>(plan, parameters, inputs, tape, outputGradients, finalStateGradients, parameterGradients, inputGradients, initialStateGradients);
        else Backward<TOperator, T, Scalar<T>>(plan, parameters, inputs, tape, outputGradients, finalStateGradients, parameterGradients, inputGradients, initialStateGradients);
    }

    private static void Backward<TOperator, T, TV>(RecurrencePlan plan, ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, CellTape<T> tape,
        ReadOnlySpan<T> outputGradients, ReadOnlySpan<T> finalStateGradients, Span<T> parameterGradients, Span<T> inputGradients, Span<T> initialStateGradients)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        ArgumentNullException.ThrowIfNull(tape);
        int steps = tape.Steps, batch = tape.Batch, I = plan.InputSize, H = plan.HiddenSize, states = plan.StateCount;
        CellSupport.CheckBackward(plan.Cell, plan.ParameterCount, states, I, H, steps, batch, parameters.Length, inputs.Length, outputGradients.Length,
            finalStateGradients.Length, parameterGradients.Length, inputGradients.Length, initialStateGradients.Length);
        var buffers = RecurrenceBuffers<T>.Of(plan, tape);
        buffers.BindAdjoints();
        int rows = steps * batch;
        for (int g = 0; g < plan.Products.Length; g++)
            if (plan.Products[g].AdjointAdds) buffers.ProductAdjoints(g).Clear(); // several passes add to it
        if (plan.ReadsInput) buffers.InputAdjoints.Clear(); // the passes add to it where they read x elementwise
        var vectorGradients = buffers.VectorGradients;
        vectorGradients.Clear(); // every block's sums: each block of rows adds its own, whichever thread runs it
        if (plan.IsLinear) BackwardScans<TOperator, T, TV>(buffers, parameters, outputGradients, finalStateGradients, initialStateGradients);
        else
        {
            for (int k = 0; k < states; k++)
            {
                var last = buffers.StateAdjoints(k, 0); // the adjoint after the last step (RecurrenceFrame.NextStateAdjoints)
                if (finalStateGradients.IsEmpty) last.Clear();
                else finalStateGradients.Slice(k * batch * H, batch * H).CopyTo(last);
            }
            // The adjoint products of every step use the same weights: pack them once.
            buffers.Packed = plan.HasRecurrentProducts && steps >= 4;
            if (buffers.Packed) PackRecurrentWeights(plan, parameters, forward: false, buffers.PackedBackward);
            int parts = RowSplit.Parts(batch, plan.StepFlops(batch));
            if (parts > 1) RowSplit.Run(parts, batch, parameters, outputGradients, buffers, Parts<TOperator, T, TV>.BackwardRows);
            else BackwardSteps<TOperator, T, TV>(buffers, parameters, outputGradients, 0, batch, RowSplit.PassParts(batch, H));
            if (!initialStateGradients.IsEmpty)
                for (int k = 0; k < states; k++)
                    buffers.StateAdjoints(k, 1 - ((steps - 1) & 1)).CopyTo(initialStateGradients.Slice(k * batch * H)); // the adjoint before step 0
        }

        // The blocks' sums, added in block order: the same order on any number of threads.
        int blocks = buffers.GradientBlocks;
        for (int block = 0; block < blocks; block++)
            for (int v = 0; v < plan.Vectors.Length; v++)
                CellSupport.AddTo(parameterGradients.Slice(plan.Vectors[v], H), vectorGradients.Slice((v * blocks + block) * H, H));

        // Weight gradients, every step at once: dW += d(products)ᵀ * operands.
        for (int g = 0; g < plan.Products.Length; g++)
        {
            var product = plan.Products[g];
            var adjoints = buffers.ProductAdjoints(g);
            foreach (var run in product.Runs)
            {
                if (product.IsInput)
                    Gemm.Multiply<T>(true, false, run.Blocks * H, I, rows, adjoints.Slice(run.FirstBlock * H), product.Blocks * H, inputs, I, parameterGradients.Slice(run.Weight), I, true);
                else
                    Gemm.Multiply<T>(true, false, run.Blocks * H, H, rows, adjoints.Slice(run.FirstBlock * H), product.Blocks * H,
                        Operand(buffers, product.Operand).Slice(0, rows * H), H, parameterGradients.Slice(run.Weight), H, true);
            }
        }
        if (!inputGradients.IsEmpty)
        {
            if (plan.HasInputProduct)
            {
                // dx = Σ stacked input weightsᵀ * dXp
                var product = plan.Products[0];
                var adjoints = buffers.ProductAdjoints(0);
                bool accumulate = false;
                foreach (var run in product.Runs)
                {
                    Gemm.Multiply<T>(false, false, rows, I, run.Blocks * H, adjoints.Slice(run.FirstBlock * H), product.Blocks * H, parameters.Slice(run.Weight), I, inputGradients, I, accumulate);
                    accumulate = true;
                }
            }
            else inputGradients.Slice(0, rows * I).Clear(); // no product of the input
            // dx += what the passes sent to x where the step reads it elementwise.
            if (plan.ReadsInput) CellSupport.AddTo(inputGradients.Slice(0, rows * I), buffers.InputAdjoints);
        }
    }

    /// <summary>Every step for rows [b0, b1), last to first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardSteps<TOperator, T, TV>(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, ReadOnlySpan<T> outputGradients, int b0, int b1, int passParts)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        var plan = buffers.Plan;
        int H = plan.HiddenSize, batch = buffers.Batch, steps = buffers.Steps, n = b1 - b0;
        var f = new RecurrenceFrame<T>(buffers, parameters, 0);
        for (int t = steps - 1; t >= 0; t--)
        {
            f.Step = t;
            CellSupport.AddTo(f.NextStateAdjoints(0).Slice(b0 * H, n * H), outputGradients.Slice((t * batch + b0) * H, n * H)); // the output of step t is the first state after it
            for (int k = 0; k < plan.StateCount; k++) f.PrevStateAdjoints(k).Slice(b0 * H, n * H).Clear();
            for (int a = 0; a < plan.AdjointSlotCount; a++) f.AdjointSlot(a).Slice(b0 * H, n * H).Clear();
            for (int level = plan.MaxLevel; level >= 0; level--)
            {
                int p = PassAt(plan, level);
                if (p >= 0)
                {
                    if (passParts > 1)
                    {
                        buffers.Step = t;
                        buffers.Pass = p;
                        RowSplit.Run(passParts, batch, parameters, outputGradients, buffers, Parts<TOperator, T, TV>.BackwardPass);
                    }
                    else RunBackwardPass<TOperator, T, TV>(ref f, p, b0, b1);
                }
                for (int g = 0; g < plan.Products.Length; g++)
                {
                    var product = plan.Products[g];
                    if (product.IsInput || product.Level != level) continue;
                    // d(operand) += [stacked weights]ᵀ * dP[t]
                    var target = (product.Operand.Kind == OperandKind.State ? f.PrevStateAdjoints(product.Operand.Index) : f.AdjointSlot(product.Operand.AdjointSlot)).Slice(b0 * H, n * H);
                    var a = f.ProductAdjoints(g).Slice((t * batch + b0) * product.Blocks * H);
                    for (int r = 0; r < product.Runs.Length; r++)
                    {
                        var run = product.Runs[r];
                        if (buffers.Packed) Gemm.Multiply<T>(n, a.Slice(run.FirstBlock * H), product.Blocks * H, buffers.PackedBackward[g][r], target, H, true);
                        else Gemm.Multiply<T>(false, false, n, H, run.Blocks * H, a.Slice(run.FirstBlock * H), product.Blocks * H, parameters.Slice(run.Weight), H, target, H, true);
                    }
                }
            }
        }
    }

    private static int PassAt(RecurrencePlan plan, int level)
    {
        for (int p = 0; p < plan.Passes.Length; p++)
            if (plan.Passes[p].Level == level) return p;
        return -1;
    }

    /// <summary>The adjoints of pass p of step f.Step for rows [b0, b1): its segments in reverse, a LayerNorm's
    /// backward row sums before the segment that holds its input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called every step: no slow first tier in short runs
    private static void RunBackwardPass<TOperator, T, TV>(scoped ref RecurrenceFrame<T> f, int p, int b0, int b1)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        var plan = f.Plan;
        int segments = plan.Passes[p].Segments, H = f.Hidden;
        if (segments == 1)
        {
            BackwardSegment<TOperator, T, TV>(ref f, p, 0, b0, b1);
            return;
        }
        for (int b = b0; b < b1; b++)
        {
            int row = f.Row(b);
            for (int s = segments - 1; s >= 0; s--)
            {
                for (int k = 0; k < plan.Norms.Length; k++)
                {
                    var norm = plan.Norms[k];
                    if (norm.Pass != p || norm.Segment != s + 1) continue;
                    var sums = f.NormSums(k);
                    RowNorm.BackwardSums<T>(f.AdjointSlot(norm.AdjointSlot).Slice(b * H, H), f.Vector(norm.Gain), f.Saved(norm.Input).Slice(row * H, H),
                        f.Means(k)[row], f.Rstds(k)[row], out sums[2 * b], out sums[2 * b + 1]);
                }
                BackwardSegment<TOperator, T, TV>(ref f, p, s, b, b + 1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called every step: no slow first tier in short runs
    private static void BackwardSegment<TOperator, T, TV>(scoped ref RecurrenceFrame<T> f, int p, int s, int b0, int b1)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        int H = f.Hidden, vectorEnd = H - H % TV.Count;
        TOperator.Backward<T, TV>(p, s, ref f, b0, b1, 0, vectorEnd);
        if (vectorEnd < H) TOperator.Backward<T, Scalar<T>>(p, s, ref f, b0, b1, vectorEnd, H);
    }
}
