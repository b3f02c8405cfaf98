using System.Numerics;
using System.Runtime.Intrinsics;

namespace RnnGen.Recurrence;

public static partial class RecurrenceDriver
{
    /// <summary>
    /// The work a thread takes from a split, one set per cell, element type and vector width, created once: a split
    /// allocates nothing. Each part reads the call's buffers (and, for a shared pass, the step and pass) from the
    /// <see cref="RecurrenceBuffers{T}"/> handed to <c>RowSplit.Run</c>.
    /// </summary>
    private static class Parts<TOperator, T, TV>
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        public static readonly RowSplit.Body<T> ForwardRows = (state, part, b0, b1, parameters, unused) =>
            ForwardSteps<TOperator, T, TV>((RecurrenceBuffers<T>)state, parameters, b0, b1, 1);

        public static readonly RowSplit.Body<T> ForwardPass = (state, part, b0, b1, parameters, unused) =>
        {
            var buffers = (RecurrenceBuffers<T>)state;
            var f = new RecurrenceFrame<T>(buffers, parameters, buffers.Step);
            RunForwardPass<TOperator, T, TV>(ref f, buffers.Pass, b0, b1, 0, f.Hidden);
        };

        public static readonly RowSplit.Body<T> BackwardRows = (state, part, b0, b1, parameters, outputGradients) =>
            BackwardSteps<TOperator, T, TV>((RecurrenceBuffers<T>)state, parameters, outputGradients, b0, b1, 1);

        public static readonly RowSplit.Body<T> BackwardPass = (state, part, b0, b1, parameters, outputGradients) =>
        {
            var buffers = (RecurrenceBuffers<T>)state;
            var f = new RecurrenceFrame<T>(buffers, parameters, buffers.Step);
            RunBackwardPass<TOperator, T, TV>(ref f, buffers.Pass, b0, b1);
        };
    }

    /// <summary>The entry point of <see cref="RecurrencePlan.ForwardPass{T}"/>: checks the ranges, then runs the pass as a step of Forward would.</summary>
    internal static void ForwardPass<TOperator, T>(RecurrencePlan plan, RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int step, int pass,
        int firstRow, int endRow, int firstColumn, int endColumn)
        where TOperator : struct, IRecurrenceOperator where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int H = plan.HiddenSize;
        if (parameters.Length < plan.ParameterCount)
            throw new ArgumentException($"{plan.Cell}: 'parameters' holds {parameters.Length} values but needs {plan.ParameterCount}.", nameof(parameters));
        if ((uint)pass >= (uint)plan.Passes.Length)
            throw new ArgumentOutOfRangeException(nameof(pass), pass, $"{plan.Cell}: a step has {plan.Passes.Length} passes.");
        if ((uint)step >= (uint)buffers.Steps)
            throw new ArgumentOutOfRangeException(nameof(step), step, $"{plan.Cell}: the buffers hold {buffers.Steps} steps.");
        if (firstRow < 0 || endRow > buffers.Batch || firstRow > endRow)
            throw new ArgumentOutOfRangeException(nameof(firstRow), $"{plan.Cell}: rows [{firstRow}, {endRow}) are not within the batch of {buffers.Batch}.");
        if (firstColumn < 0 || endColumn > H || firstColumn > endColumn)
            throw new ArgumentOutOfRangeException(nameof(firstColumn), $"{plan.Cell}: columns [{firstColumn}, {endColumn}) are not within the {H} hidden units.");
        if (plan.Passes[pass].Segments > 1 && (firstColumn != 0 || endColumn != H))
            throw new ArgumentException($"{plan.Cell}: pass {pass} normalises whole rows, so it takes columns [0, {H}), not [{firstColumn}, {endColumn}).", nameof(firstColumn));
        if (Vector512.IsHardwareAccelerated) Run<Simd512<T>>(buffers, parameters, step, pass, firstRow, endRow, firstColumn, endColumn);
        else if (Vector256.IsHardwareAccelerated) Run<Simd256<T>>(buffers, parameters, step, pass, firstRow, endRow, firstColumn, endColumn);
        else Run<Scalar<T>>(buffers, parameters, step, pass, firstRow, endRow, firstColumn, endColumn);

        static void Run<TV>(RecurrenceBuffers<T> buffers, ReadOnlySpan<T> parameters, int step, int pass, int b0, int b1, int j0, int j1) where TV : struct, ISimd<TV, T>
        {
            var f = new RecurrenceFrame<T>(buffers, parameters, step);
            RunForwardPass<TOperator, T, TV>(ref f, pass, b0, b1, j0, j1);
        }
    }
}
