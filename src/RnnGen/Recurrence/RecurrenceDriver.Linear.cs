using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnGen.Recurrence;

public static partial class RecurrenceDriver
{
    // The linear-scan path (RecurrenceKind.LinearScan): every state's next value is a ⊙ s + b with a and b free of
    // states, so no step waits for the one before it except through the scans. The input's products are already
    // computed for every step (Forward); what is left runs over all steps x batch rows at once.

    /// <summary>a and b of every step in one pass over all rows, then one scan over time per state, in place of b.</summary>
    private static void ForwardScans<TOperator, T, TV>(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        var plan = buffers.Plan;
        int H = plan.HiddenSize, batch = buffers.Batch, steps = buffers.Steps, rows = steps * batch, width = batch * H;
        // The shifts first: in step t each holds its block of the input's product of step t - 1, which a and b may read.
        if (plan.Shifts.Length > 0) OverAllRows(buffers, default, Shifted<T>.Values);
        OverAllRows(buffers, parameters, Linear<TOperator, T, TV>.Coefficients);
        var scan = Scan(buffers);
        for (int k = 0; k < plan.StateCount; k++)
        {
            if (plan.IsOutputState(k) || plan.IsShiftState(k)) continue;
            // s_t = a_t ⊙ s_{t-1} + b_t: the states buffer holds s_{-1} in its first row and b in the others, which the scan overwrites with s.
            var states = buffers.States(k);
            scan.Forward(steps, width, buffers.ScanCoefficients(k), buffers.ScanOffsets(k), states.Slice(0, width), states.Slice(width, rows * H));
        }
        // The output states, from the scans' new values.
        if (plan.HasOutputStates)
            OverAllRows(buffers, parameters, Linear<TOperator, T, TV>.Outputs);
    }

    /// <summary>
    /// The states' adjoints of every step by reverse scans, g_t = a_{t+1} ⊙ g_{t+1} + local_t, where local_t is what
    /// reaches s_t from outside the recurrence (the output gradient of step t for the first state, the final state's
    /// gradient after the last step, and what output states of step t send back); then the step's backward pass over
    /// all rows at once, reading the adjoint after step t: the products' adjoints and the bias sums per block of rows.
    /// An output state's adjoint is what reaches it from outside alone, since no update reads it.
    /// </summary>
    private static void BackwardScans<TOperator, T, TV>(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> outputGradients, ReadOnlySpan<T> finalStateGradients, Span<T> initialStateGradients)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        var plan = buffers.Plan;
        int H = plan.HiddenSize, batch = buffers.Batch, steps = buffers.Steps, rows = steps * batch, width = batch * H;
        var scan = Scan(buffers);
        for (int k = 0; k < plan.StateCount; k++)
        {
            var g = buffers.StateAdjoints(k, 0); // [steps, batch, hidden]: local_t, then g_t in place
            if (k == 0) outputGradients.Slice(0, rows * H).CopyTo(g); // the outputs are the first state after each step
            else g.Clear();
            // A shift's adjoint stays zero here: the pass below leaves in it what reaches the shift in each step.
            if (!finalStateGradients.IsEmpty && !plan.IsShiftState(k))
                CellSupport.AddTo(g.Slice((steps - 1) * width, width), finalStateGradients.Slice(k * width, width));
        }
        if (plan.HasOutputStates)
            OverAllRows(buffers, parameters, Linear<TOperator, T, TV>.OutputAdjoints);
        for (int k = 0; k < plan.StateCount; k++)
        {
            if (plan.IsOutputState(k))
            {
                if (!initialStateGradients.IsEmpty) initialStateGradients.Slice(k * width, width).Clear(); // no update reads it
                continue;
            }
            if (plan.IsShiftState(k)) continue;
            var g = buffers.StateAdjoints(k, 0);
            Span<T> initial;
            if (initialStateGradients.IsEmpty)
            {
                if (buffers.UnwantedGradient.Length < width) buffers.UnwantedGradient = new T[width];
                initial = buffers.UnwantedGradient.AsSpan(0, width);
            }
            else initial = initialStateGradients.Slice(k * width, width);
            scan.Backward(steps, width, buffers.ScanCoefficients(k), g, g, initial);
            if (plan.HasOutputStates) WithoutOwnStep(buffers, k, outputGradients, finalStateGradients);
        }
        OverAllRows(buffers, parameters, Linear<TOperator, T, TV>.Adjoints);
        // The shifts' adjoints, after the pass: what reached a shift in step t (the pass left it in the shift's adjoint
        // row t, its adjoint after every step being zero) is the initial state's gradient for t = 0.
        if (plan.Shifts.Length == 0) return;
        OverAllRows(buffers, finalStateGradients, Shifted<T>.Adjoints);
        if (!initialStateGradients.IsEmpty)
            foreach (var shift in plan.Shifts)
                buffers.StateAdjoints(shift.State, 0).Slice(0, width).CopyTo(initialStateGradients.Slice(shift.State * width, width));
    }

    /// <summary>A linear plan's shifts over rows [r0, r1) of every step, as thread bodies (elementwise: any split gives the same bits).</summary>
    private static class Shifted<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        /// <summary>Each shift's block of the input's product of row r, into the shift's state rows one step later.</summary>
        public static readonly RowSplit.Body<T> Values = (state, part, r0, r1, unused, unusedToo) =>
        {
            var buffers = (RecurrenceBuffers<T>)state;
            var plan = buffers.Plan;
            int H = plan.HiddenSize, batch = buffers.Batch, stride = plan.Products[0].Blocks * H;
            var product = buffers.Products(0);
            foreach (var shift in plan.Shifts)
            {
                var states = buffers.States(shift.State);
                for (int r = r0; r < r1; r++)
                    product.Slice(r * stride + shift.Block * H, H).CopyTo(states.Slice((r + batch) * H, H));
            }
        };

        /// <summary>
        /// To each shift's block of the input product's adjoint of row r, what reached the shift one step later (row
        /// r + batch of its adjoint) or, in the last step, the final state's gradient (the
        /// body's first span).
        /// </summary>
        public static readonly RowSplit.Body<T> Adjoints = (state, part, r0, r1, final, unused) =>
        {
            var buffers = (RecurrenceBuffers<T>)state;
            var plan = buffers.Plan;
            int H = plan.HiddenSize, batch = buffers.Batch, rows = buffers.Steps * batch, width = batch * H, stride = plan.Products[0].Blocks * H;
            var product = buffers.ProductAdjoints(0);
            foreach (var shift in plan.Shifts)
            {
                var reached = buffers.StateAdjoints(shift.State, 0);
                for (int r = r0; r < r1; r++)
                {
                    var to = product.Slice(r * stride + shift.Block * H, H);
                    if (r < rows - batch) CellSupport.AddTo(to, reached.Slice((r + batch) * H, H));
                    else if (!final.IsEmpty) CellSupport.AddTo(to, final.Slice(shift.State * width + (r - (rows - batch)) * H, H));
                }
            }
        };
    }

    /// <summary>
    /// Turns the scan's g_t = dL/ds_t into what the step's backward pass takes as the adjoint after step t when output
    /// states read s_t in that same step: everything but their share, which the pass adds itself. That is
    /// a_{t+1} ⊙ g_{t+1} (what step t + 1 sends back) plus what reaches s_t from outside, in place, in step order (row
    /// t + 1 is read before it is rewritten).
    /// </summary>
    private static void WithoutOwnStep<T>(RecurrenceBuffers<T> buffers, int state, ReadOnlySpan<T> outputGradients, ReadOnlySpan<T> finalStateGradients)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int steps = buffers.Steps, width = buffers.Batch * buffers.Plan.HiddenSize;
        var g = buffers.StateAdjoints(state, 0);
        var a = buffers.ScanCoefficients(state);
        for (int t = 0; t < steps - 1; t++)
        {
            var row = g.Slice(t * width, width);
            if (state == 0) LinearScanRows<T>.MulAdd(row, a.Slice((t + 1) * width, width), g.Slice((t + 1) * width, width), outputGradients.Slice(t * width, width));
            else LinearScanRows<T>.Mul(row, a.Slice((t + 1) * width, width), g.Slice((t + 1) * width, width));
        }
        var last = g.Slice((steps - 1) * width, width);
        if (state == 0) outputGradients.Slice((steps - 1) * width, width).CopyTo(last);
        else last.Clear();
        if (!finalStateGradients.IsEmpty) CellSupport.AddTo(last, finalStateGradients.Slice(state * width, width));
    }

    /// <summary>Runs a pass over the rows of every step, cut into TimeBatch's blocks and shared between threads.</summary>
    private static void OverAllRows<T>(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, RowSplit.Body<T> body) where T : unmanaged
    {
        int rows = buffers.Steps * buffers.Batch;
        RowSplit.Run(TimeBatch.Parts(rows, buffers.Plan.HiddenSize), rows, TimeBatch.Blocks(rows), parameters, default, buffers, body);
    }

    private static LinearScan<T> Scan<T>(RecurrenceBuffers<T> buffers) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        (LinearScan<T>)(buffers.Scan ??= new LinearScan<T>());

    /// <summary>The linear path's thread bodies over rows of every step, one set per cell, element type and vector width.</summary>
    private static class Linear<TOperator, T, TV>
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        public static readonly RowSplit.Body<T> Coefficients = (state, part, b0, b1, parameters, unused) =>
        {
            var f = RecurrenceFrame<T>.AllSteps((RecurrenceBuffers<T>)state, parameters);
            CoefficientRows(ref f, b0, b1);
        };

        public static readonly RowSplit.Body<T> Outputs = (state, part, b0, b1, parameters, unused) =>
        {
            var f = RecurrenceFrame<T>.AllSteps((RecurrenceBuffers<T>)state, parameters);
            int H = f.Hidden, vectorEnd = H - H % TV.Count;
            TOperator.LinearOutputs<T, TV>(ref f, b0, b1, 0, vectorEnd);
            if (vectorEnd < H) TOperator.LinearOutputs<T, Scalar<T>>(ref f, b0, b1, vectorEnd, H);
        };

        public static readonly RowSplit.Body<T> OutputAdjoints = (state, part, b0, b1, parameters, unused) =>
        {
            var f = RecurrenceFrame<T>.AllSteps((RecurrenceBuffers<T>)state, parameters);
            int H = f.Hidden, vectorEnd = H - H % TV.Count;
            TOperator.LinearOutputAdjoints<T, TV>(ref f, b0, b1, 0, vectorEnd);
            if (vectorEnd < H) TOperator.LinearOutputAdjoints<T, Scalar<T>>(ref f, b0, b1, vectorEnd, H);
        };

        public static readonly RowSplit.Body<T> Adjoints = (state, part, b0, b1, parameters, unused) =>
        {
            var f = RecurrenceFrame<T>.AllSteps((RecurrenceBuffers<T>)state, parameters);
            BackwardSegment<TOperator, T, TV>(ref f, 0, 0, b0, b1);
        };

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void CoefficientRows(scoped ref RecurrenceFrame<T> f, int b0, int b1)
        {
            int H = f.Hidden, vectorEnd = H - H % TV.Count;
            TOperator.LinearCoefficients<T, TV>(ref f, b0, b1, 0, vectorEnd);
            if (vectorEnd < H) TOperator.LinearCoefficients<T, Scalar<T>>(ref f, b0, b1, vectorEnd, H);
        }
    }
}
