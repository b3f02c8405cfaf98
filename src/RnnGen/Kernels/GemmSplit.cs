using System.Numerics;

namespace RnnGen.Kernels;

/// <summary>
/// Splits one product into independent blocks of C for <see cref="GemmParallel"/>: by columns when C is
/// wide enough (each thread packs its own panels of B and reads all of A), else by rows. Blocks are whole
/// register tiles so no thread computes a ragged edge it need not. The job lives in static fields,
/// guarded by the pool's lock, so a split allocates nothing.
/// </summary>
internal static class GemmSplit<T>
    where T : unmanaged, INumber<T>
{
    private static readonly Action<int> s_body = RunPart;
    private static GemmArgs<T> s_args;
    private static GemmIsa s_isa;
    private static int s_parts, s_unit;
    private static bool s_byColumns;

    public static bool TryRun(GemmIsa isa, int threads, in GemmArgs<T> g)
    {
        (int mr, int nr) = Gemm.Tile<T>(isa);
        bool byColumns;
        int unit, units;
        if (g.N >= 2 * threads * nr)
        {
            byColumns = true;
            unit = nr;
            units = (g.N + nr - 1) / nr;
        }
        else if (g.M >= 2 * threads * mr)
        {
            byColumns = false;
            unit = mr;
            units = (g.M + mr - 1) / mr;
        }
        else
        {
            return false;
        }
        if (!GemmParallel.TryEnter())
            return false;
        try
        {
            // The job's static fields are only touched while the pool is held.
            s_args = g;
            s_isa = isa;
            s_parts = Math.Min(threads, units);
            s_unit = unit;
            s_byColumns = byColumns;
            GemmParallel.Run(s_parts, s_body);
        }
        finally
        {
            GemmParallel.Exit();
        }
        return true;
    }

    private static void RunPart(int part)
    {
        int total = s_byColumns ? s_args.N : s_args.M;
        int units = (total + s_unit - 1) / s_unit;
        int from = Math.Min(total, (int)((long)units * part / s_parts) * s_unit);
        int to = Math.Min(total, (int)((long)units * (part + 1) / s_parts) * s_unit);
        if (from >= to)
            return;
        GemmArgs<T> block = s_byColumns
            ? s_args.Block(0, s_args.M, from, to - from)
            : s_args.Block(from, to - from, 0, s_args.N);
        Gemm.Run(s_isa, block);
    }
}
