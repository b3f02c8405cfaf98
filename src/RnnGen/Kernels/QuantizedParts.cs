using System.ComponentModel;

namespace RnnGen.Kernels;

/// <summary>The work of one part of a <see cref="QuantizedParts.Run{TBody}"/> region: a struct, so a region allocates nothing.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPartBody
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>; parts run concurrently and must not write the same memory.</summary>
    void Run(int part, int parts);
}

/// <summary>
/// One parallel region of fixed parts, each bound to one pool thread: part p runs on the same thread at every call
/// (unless that thread is late and the caller takes its part over), so the weights part p reads stay in that core's
/// L2 from one token to the next. A region may run several products and any small function per part (a whole
/// recurrent step for a core's hidden columns, say); returning is the barrier. When the pool is busy (another
/// product holds it, or this is already a part of a region) the parts run in turn on the calling thread, with the
/// same results, since no part reads what another writes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class QuantizedParts
{
    /// <summary>Runs <paramref name="body"/> for parts 0 .. parts - 1, part 0 on the calling thread.</summary>
    public static void Run<TBody>(int parts, in TBody body) where TBody : struct, IPartBody
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, GemmParallel.MaxBoundParts);
        if (parts == 1 || !GemmParallel.TryEnter())
        {
            for (int part = 0; part < parts; part++)
                body.Run(part, parts);
            return;
        }
        try
        {
            Job<TBody>.Body = body;
            Job<TBody>.Parts = parts;
            GemmParallel.RunBound(parts, Job<TBody>.Invoke);
        }
        finally
        {
            // Drops what the body refers to, so a finished region keeps nothing alive.
            Job<TBody>.Body = default;
            GemmParallel.Exit();
        }
    }

    /// <summary>The current region's body, in static fields guarded by the pool's lock, with its delegate made once per body type.</summary>
    private static class Job<TBody> where TBody : struct, IPartBody
    {
        public static readonly Action<int> Invoke = part => Body.Run(part, Parts);
        public static TBody Body;
        public static int Parts;
    }
}
