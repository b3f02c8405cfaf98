using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Recurrence;

/// <summary>
/// Runs a generated cell over a sequence batch: the time loop, the products of each step, the packing of the
/// recurrent weights, the split of rows between threads and the backward pass through time. The cell supplies
/// only its plan and its fused passes (<see cref="IRecurrenceOperator"/>); docs/ARCHITECTURE.md says why the
/// line is drawn there. Every split keeps the order of every sum, so any number of threads gives the same bits.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class RecurrenceDriver
{
    /// <summary>A column range of a pass that starts at a multiple of this gives the bits of the whole row: wider than any vector.</summary>
    public const int ColumnAlignment = 64;

    public static void Forward<TOperator, T>(RecurrencePlan plan, ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> initialStates,
        Span<T> outputs, Span<T> finalStates, CellTape<T> tape, int steps, int batch)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The vector width is chosen once per call; everything below is specialised for it.
        if (Vector512.IsHardwareAccelerated) Forward<TOperator, T, Simd512<T>>(plan, parameters, inputs, initialStates, outputs, finalStates, tape, steps, batch);
        else if (Vector256.IsHardwareAccelerated) Forward<TOperator, T, Simd256<T>>(plan, parameters, inputs, initialStates, outputs, finalStates, tape, steps, batch);
        else Forward<TOperator, T, Scalar<T>>(plan, parameters, inputs, initialStates, outputs, finalStates, tape, steps, batch);
    }

    private static void Forward<TOperator, T, TV>(RecurrencePlan plan, ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> initialStates,
        Span<T> outputs, Span<T> finalStates, CellTape<T> tape, int steps, int batch)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        ArgumentNullException.ThrowIfNull(tape);
        int I = plan.InputSize, H = plan.HiddenSize, states = plan.StateCount;
        CellSupport.CheckForward(plan.Cell, plan.ParameterCount, states, I, H, steps, batch, parameters.Length, inputs.Length, initialStates.Length, outputs.Length, finalStates.Length);
        tape.Begin(steps, batch);
        var buffers = RecurrenceBuffers<T>.Of(plan, tape);
        int rows = steps * batch;
        if (plan.HasInputProduct)
        {
            // The input's products for every step at once, before the recurrence: Xp[t, b] = [stacked weights] * x[t, b].
            var g = plan.Products[0];
            var xp = buffers.Products(0);
            foreach (var run in g.Runs)
                Gemm.Multiply<T>(false, true, rows, run.Blocks * H, I, inputs, I, parameters.Slice(run.Weight), I, xp.Slice(run.FirstBlock * H), g.Blocks * H, false);
        }
        // A step that reads x elementwise reads it from the buffers, as it reads the states (and so do runtime callers of its passes).
        if (plan.ReadsInput) inputs.Slice(0, rows * I).CopyTo(buffers.Inputs);
        for (int k = 0; k < states; k++)
        {
            var state = buffers.States(k);
            if (initialStates.IsEmpty) state.Slice(0, batch * H).Clear();
            else initialStates.Slice(k * batch * H, batch * H).CopyTo(state);
        }
        if (plan.IsLinear) ForwardScans<TOperator, T, TV>(buffers, parameters); // no step loop: a and b of every step, then the scans
        else
        {
            // Every step multiplies by the same stacked weights: pack them once for the whole window (not worth it for a step or two).
            buffers.Packed = plan.HasRecurrentProducts && steps >= 4;
            if (buffers.Packed) PackRecurrentWeights(plan, parameters, forward: true, buffers.PackedForward);
            // The recurrence: its rows shared between threads when a step's products are too small to split.
            int parts = RowSplit.Parts(batch, plan.StepFlops(batch));
            if (parts > 1) RowSplit.Run(parts, batch, parameters, default, buffers, Parts<TOperator, T, TV>.ForwardRows);
            else ForwardSteps<TOperator, T, TV>(buffers, parameters, 0, batch, RowSplit.PassParts(batch, H));
        }
        // The outputs are the first state after each step.
        buffers.States(0).Slice(batch * H, rows * H).CopyTo(outputs);
        if (!finalStates.IsEmpty)
            for (int k = 0; k < states; k++)
                buffers.States(k).Slice(rows * H, batch * H).CopyTo(finalStates.Slice(k * batch * H));
    }

    /// <summary>Every step for rows [b0, b1): the products of each level, then the pass they feed (its rows shared
    /// between passParts threads when the products were big enough to be split themselves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardSteps<TOperator, T, TV>(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int b0, int b1, int passParts)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        var plan = buffers.Plan;
        int H = plan.HiddenSize, batch = buffers.Batch, steps = buffers.Steps, n = b1 - b0;
        var f = new RecurrenceFrame<T>(buffers, parameters, 0);
        for (int t = 0; t < steps; t++)
        {
            f.Step = t;
            for (int p = 0; p < plan.Passes.Length; p++)
            {
                int level = plan.Passes[p].Level;
                for (int g = 0; g < plan.Products.Length; g++)
                {
                    var product = plan.Products[g];
                    if (product.IsInput || product.Level != level) continue;
                    // P[t] = [stacked weights] * operand[t]
                    var operand = Operand(buffers, product.Operand).Slice((t * batch + b0) * H, n * H);
                    var c = buffers.Products(g).Slice((t * batch + b0) * product.Blocks * H);
                    for (int r = 0; r < product.Runs.Length; r++)
                    {
                        var run = product.Runs[r];
                        if (buffers.Packed) Gemm.Multiply<T>(n, operand, H, buffers.PackedForward[g][r], c.Slice(run.FirstBlock * H), product.Blocks * H, false);
                        else Gemm.Multiply<T>(false, true, n, run.Blocks * H, H, operand, H, parameters.Slice(run.Weight), H, c.Slice(run.FirstBlock * H), product.Blocks * H, false);
                    }
                }
                if (passParts > 1)
                {
                    buffers.Step = t;
                    buffers.Pass = p;
                    RowSplit.Run(passParts, batch, parameters, default, buffers, Parts<TOperator, T, TV>.ForwardPass);
                }
                else RunForwardPass<TOperator, T, TV>(ref f, p, b0, b1, 0, H);
            }
        }
    }

    /// <summary>What a product multiplies, over all steps: a state (its value at the start of each step) or a saved value.</summary>
    private static Span<T> Operand<T>(RecurrenceBuffers<T> buffers, ProductOperand operand) where T : unmanaged =>
        operand.Kind == OperandKind.State ? buffers.States(operand.Index) : buffers.Saved(operand.Index);

    /// <summary>Pass p of step f.Step over rows [b0, b1) and columns [j0, j1); a LayerNorm's row statistics between its segments.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called every step: no slow first tier in short runs
    private static void RunForwardPass<TOperator, T, TV>(scoped ref RecurrenceFrame<T> f, int p, int b0, int b1, int j0, int j1)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        var plan = f.Plan;
        int segments = plan.Passes[p].Segments;
        if (segments == 1)
        {
            ForwardSegment<TOperator, T, TV>(ref f, p, 0, b0, b1, j0, j1);
            return;
        }
        int H = f.Hidden;
        for (int b = b0; b < b1; b++)
        {
            int row = f.Row(b);
            for (int s = 0; s < segments; s++)
            {
                for (int k = 0; k < plan.Norms.Length; k++)
                {
                    var norm = plan.Norms[k];
                    if (norm.Pass == p && norm.Segment == s)
                        RowNorm.Statistics<T>(f.Saved(norm.Input).Slice(row * H, H), out f.Means(k)[row], out f.Rstds(k)[row]);
                }
                ForwardSegment<TOperator, T, TV>(ref f, p, s, b, b + 1, j0, j1);
            }
        }
    }

    /// <summary>One segment: whole vectors, then the row's tail one element at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called every step: no slow first tier in short runs
    private static void ForwardSegment<TOperator, T, TV>(scoped ref RecurrenceFrame<T> f, int p, int s, int b0, int b1, int j0, int j1)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        int vectorEnd = j1 - (j1 - j0) % TV.Count;
        TOperator.Forward<T, TV>(p, s, ref f, b0, b1, j0, vectorEnd);
        if (vectorEnd < j1) TOperator.Forward<T, Scalar<T>>(p, s, ref f, b0, b1, vectorEnd, j1);
    }
}
