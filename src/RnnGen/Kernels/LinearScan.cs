using System.ComponentModel;
using System.Numerics;

namespace RnnGen.Kernels;

/// <summary>
/// The scans of a recurrence linear in its state, over <c>[steps, width]</c> time-major rows (width = batch x
/// hidden). Forward: s_t = a_t ⊙ s_{t-1} + b_t from a given s_{-1}, writing every s_t. Backward, in reverse:
/// g_t = a_{t+1} ⊙ g_{t+1} + local_t, where local_t is the gradient that reaches s_t directly; it writes every
/// g_t = dL/ds_t and the gradient into s_{-1}, a_0 ⊙ g_0. From these the caller forms da_t = g_t ⊙ s_{t-1} and
/// db_t = g_t. How the work is shared between threads, and why the bits do not depend on their number, is
/// <see cref="LinearScanPlan"/>. One instance owns the chunk carries (grown to the largest shape, then reused,
/// so a warm call allocates nothing); it serves one caller at a time.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe class LinearScan<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private enum Phase { ForwardColumns, ForwardReduce, ForwardChunks, BackwardColumns, BackwardReduce, BackwardChunks }

    // Per chunk, one row of `width`: the composed factor A and offset B of the chunk's reduction, and the
    // carry it starts from (forward: s just before the chunk; backward: what reaches its last step from later).
    private T[] _factors = [], _offsets = [], _carries = [];

    // The current call, read by the parts (spans cannot cross threads: the operands are pinned for the call).
    private readonly Action<int> _runPart;
    private Phase _phase;
    private int _steps, _width, _chunks, _parts;
    private T* _a, _b, _initial, _out;

    public LinearScan() => _runPart = RunPart;

    /// <summary>
    /// s_t = a_t ⊙ s_{t-1} + b_t for t = 0 .. steps - 1, with s_{-1} = <paramref name="initial"/> [width];
    /// <paramref name="a"/>, <paramref name="b"/> and <paramref name="states"/> are [steps, width].
    /// <paramref name="states"/> may be the same memory as <paramref name="b"/>.
    /// </summary>
    public void Forward(int steps, int width, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> initial, Span<T> states)
    {
        Check(steps, width, a.Length, b.Length, states.Length);
        if (initial.Length < width)
            throw new ArgumentException($"{initial.Length} initial values for a width of {width}.", nameof(initial));
        fixed (T* pa = a, pb = b, pi = initial, ps = states)
            Run(steps, width, pa, pb, pi, ps, forward: true);
    }

    /// <summary>
    /// g_t = a_{t+1} ⊙ g_{t+1} + local_t for t = steps - 1 .. 0 (g_{steps-1} = local_{steps-1}) into
    /// <paramref name="gradients"/>, and a_0 ⊙ g_0 into <paramref name="initialGradient"/> [width]; all other
    /// operands are [steps, width]. <paramref name="gradients"/> may be the same memory as <paramref name="local"/>.
    /// </summary>
    public void Backward(int steps, int width, ReadOnlySpan<T> a, ReadOnlySpan<T> local, Span<T> gradients, Span<T> initialGradient)
    {
        Check(steps, width, a.Length, local.Length, gradients.Length);
        if (initialGradient.Length < width)
            throw new ArgumentException($"{initialGradient.Length} initial gradients for a width of {width}.", nameof(initialGradient));
        fixed (T* pa = a, pl = local, pi = initialGradient, pg = gradients)
            Run(steps, width, pa, pl, pi, pg, forward: false);
    }

    private static void Check(int steps, int width, int a, int b, int output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        long need = (long)steps * width;
        if (a < need || b < need || output < need)
            throw new ArgumentException($"A scan of {steps} steps x {width} needs {need} elements per operand; got {a}, {b} and {output}.");
    }

    private void Run(int steps, int width, T* a, T* b, T* initial, T* output, bool forward)
    {
        if (width == 0)
            return;
        _steps = steps;
        _width = width;
        _a = a;
        _b = b;
        _initial = initial;
        _out = output;
        _chunks = steps == 0 ? 1 : LinearScanPlan.Chunks(steps, width);
        _parts = steps == 0 ? 1 : LinearScanPlan.Parts(steps, width);
        if (_chunks > 1)
            EnsureCarries((_chunks - 1) * width);
        bool pooled = _parts > 1 && GemmParallel.TryEnter();
        try
        {
            if (steps == 0)
            {
                if (!forward) new Span<T>(initial, width).Clear();
            }
            else if (_chunks == 1)
            {
                RunPhase(forward ? Phase.ForwardColumns : Phase.BackwardColumns, pooled);
            }
            else if (forward)
            {
                RunPhase(Phase.ForwardReduce, pooled);
                ChainForward();
                RunPhase(Phase.ForwardChunks, pooled);
            }
            else
            {
                RunPhase(Phase.BackwardReduce, pooled);
                ChainBackward();
                RunPhase(Phase.BackwardChunks, pooled);
                LinearScanRows<T>.Mul(new Span<T>(initial, width), Row(_a, 0, 0, width), Row(_out, 0, 0, width));
            }
        }
        finally
        {
            if (pooled) GemmParallel.Exit();
            _a = _b = _initial = _out = null;
        }
    }

    /// <summary>Runs every part of a phase: on the pool's workers when held, else in turn (the same bits either way).</summary>
    private void RunPhase(Phase phase, bool pooled)
    {
        _phase = phase;
        if (pooled)
            GemmParallel.Run(_parts, _runPart);
        else
            for (int part = 0; part < _parts; part++)
                _runPart(part);
    }

    private void RunPart(int part)
    {
        int steps = _steps, width = _width, chunks = _chunks;
        switch (_phase)
        {
            case Phase.ForwardColumns:
            case Phase.BackwardColumns:
            {
                var (first, end) = LinearScanPlan.Columns(part, _parts, width);
                if (first >= end)
                    return;
                if (_phase == Phase.ForwardColumns)
                    ScanForward(0, steps, first, end, Row(_initial, 0, first, end));
                else
                {
                    ScanBackward(0, steps, first, end, hasCarry: false, default);
                    LinearScanRows<T>.Mul(Row(_initial, 0, first, end), Row(_a, 0, first, end), Row(_out, 0, first, end));
                }
                return;
            }
        }
        var (firstChunk, endChunk) = LinearScanPlan.ChunkRun(part, _parts, chunks);
        for (int k = firstChunk; k < endChunk; k++)
        {
            int t0 = LinearScanPlan.ChunkStart(k, chunks, steps), t1 = LinearScanPlan.ChunkStart(k + 1, chunks, steps);
            switch (_phase)
            {
                // Forward: chunk k < last reduces to s_end = A s_start + B; chunk k scans from carry k - 1.
                case Phase.ForwardReduce when k < chunks - 1:
                    ReduceForward(t0, t1, Carry(_factors, k), Carry(_offsets, k));
                    break;
                case Phase.ForwardChunks:
                    ScanForward(t0, t1, 0, width, k == 0 ? Row(_initial, 0, 0, width) : Carry(_carries, k - 1));
                    break;
                // Backward: chunk k > 0 reduces to c_out = A c_in + B; chunk k scans from carry k (none for the last).
                case Phase.BackwardReduce when k > 0:
                    ReduceBackward(t0, t1, Carry(_factors, k - 1), Carry(_offsets, k - 1));
                    break;
                case Phase.BackwardChunks:
                    ScanBackward(t0, t1, 0, width, hasCarry: k < chunks - 1, k < chunks - 1 ? Carry(_carries, k) : default);
                    break;
            }
        }
    }

    /// <summary>s_t = a_t s_{t-1} + b_t over steps [t0, t1) and columns [c0, c1), from <paramref name="start"/> = s_{t0-1}.</summary>
    private void ScanForward(int t0, int t1, int c0, int c1, ReadOnlySpan<T> start)
    {
        LinearScanRows<T>.MulAdd(Row(_out, t0, c0, c1), Row(_a, t0, c0, c1), start, Row(_b, t0, c0, c1));
        for (int t = t0 + 1; t < t1; t++)
            LinearScanRows<T>.MulAdd(Row(_out, t, c0, c1), Row(_a, t, c0, c1), Row(_out, t - 1, c0, c1), Row(_b, t, c0, c1));
    }

    /// <summary>g_t = a_{t+1} g_{t+1} + local_t over steps [t0, t1) in reverse, the last from <paramref name="carry"/> + local (or local alone).</summary>
    private void ScanBackward(int t0, int t1, int c0, int c1, bool hasCarry, ReadOnlySpan<T> carry)
    {
        int last = t1 - 1;
        if (hasCarry)
            LinearScanRows<T>.Add(Row(_out, last, c0, c1), Row(_b, last, c0, c1), carry);
        else
            LinearScanRows<T>.Copy(Row(_out, last, c0, c1), Row(_b, last, c0, c1));
        for (int t = last - 1; t >= t0; t--)
            LinearScanRows<T>.MulAdd(Row(_out, t, c0, c1), Row(_a, t + 1, c0, c1), Row(_out, t + 1, c0, c1), Row(_b, t, c0, c1));
    }

    /// <summary>The chunk [t0, t1) as s_end = A s_start + B: A = the product of its a_t, B = its scan from zero.</summary>
    private void ReduceForward(int t0, int t1, Span<T> factor, Span<T> offset)
    {
        int w = _width;
        LinearScanRows<T>.Copy(factor, Row(_a, t0, 0, w));
        LinearScanRows<T>.Copy(offset, Row(_b, t0, 0, w));
        for (int t = t0 + 1; t < t1; t++)
            LinearScanRows<T>.Reduce(factor, offset, Row(_a, t, 0, w), Row(_b, t, 0, w), reverse: false);
    }

    /// <summary>The chunk [t0, t1) in reverse as c_out = A c_in + B, where c_in reaches g_{t1-1} from later steps
    /// and c_out = a_{t0} g_{t0} reaches g_{t0-1}: each step is g = local + c, c = a g.</summary>
    private void ReduceBackward(int t0, int t1, Span<T> factor, Span<T> offset)
    {
        int w = _width, last = t1 - 1;
        LinearScanRows<T>.Copy(factor, Row(_a, last, 0, w));
        LinearScanRows<T>.Mul(offset, Row(_a, last, 0, w), Row(_b, last, 0, w));
        for (int t = last - 1; t >= t0; t--)
            LinearScanRows<T>.Reduce(factor, offset, Row(_a, t, 0, w), Row(_b, t, 0, w), reverse: true);
    }

    /// <summary>Carry k = the state just before chunk k + 1: A_k carry_{k-1} + B_k, from s_{-1} for chunk 0.</summary>
    private void ChainForward()
    {
        int w = _width;
        LinearScanRows<T>.MulAdd(Carry(_carries, 0), Carry(_factors, 0), Row(_initial, 0, 0, w), Carry(_offsets, 0));
        for (int k = 1; k < _chunks - 1; k++)
            LinearScanRows<T>.MulAdd(Carry(_carries, k), Carry(_factors, k), Carry(_carries, k - 1), Carry(_offsets, k));
    }

    /// <summary>Carry k = what reaches the last step of chunk k from chunk k + 1 on: B of the last chunk, then
    /// A_{k+1} carry_{k+1} + B_{k+1} backwards (reductions are stored at k - 1 for chunk k).</summary>
    private void ChainBackward()
    {
        int last = _chunks - 2;
        LinearScanRows<T>.Copy(Carry(_carries, last), Carry(_offsets, last));
        for (int k = last - 1; k >= 0; k--)
            LinearScanRows<T>.MulAdd(Carry(_carries, k), Carry(_factors, k), Carry(_carries, k + 1), Carry(_offsets, k));
    }

    private Span<T> Row(T* matrix, int t, int c0, int c1) => new(matrix + (long)t * _width + c0, c1 - c0);

    private Span<T> Carry(T[] rows, int k) => rows.AsSpan(k * _width, _width);

    private void EnsureCarries(int length)
    {
        if (_factors.Length >= length)
            return;
        _factors = new T[length];
        _offsets = new T[length];
        _carries = new T[length];
    }
}
