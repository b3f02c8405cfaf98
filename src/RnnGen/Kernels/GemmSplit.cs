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
    private static GemmSplitPlan s_plan;

    public static bool TryRun(GemmIsa isa, int threads, in GemmArgs<T> g)
    {
        (int mr, int nr) = Gemm.Tile<T>(isa);
        if (!GemmSplitPlan.TryCreate(g.M, g.N, threads, mr, nr, out var plan) || !GemmParallel.TryEnter())
            return false;
        try
        {
            // The job's static fields are only touched while the pool is held.
            s_args = g;
            s_isa = isa;
            s_plan = plan;
            GemmParallel.Run(plan.Parts, s_body);
        }
        finally
        {
            GemmParallel.Exit();
        }
        return true;
    }

    private static void RunPart(int part)
    {
        var (from, to) = s_plan.Range(part);
        if (from >= to)
            return;
        GemmArgs<T> block = s_plan.ByColumns
            ? s_args.Block(0, s_args.M, from, to - from)
            : s_args.Block(from, to - from, 0, s_args.N);
        Gemm.Run(s_isa, block);
    }
}
