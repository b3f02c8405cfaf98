namespace RnnGen.Kernels;

/// <summary>
/// How one product is cut into independent blocks of C for <see cref="GemmParallel"/>: by columns when C
/// is wide enough (whole NR panels), else by rows (whole MR tiles), so that no thread computes a ragged
/// edge it need not. Shared by the plain and the packed-B products.
/// </summary>
internal readonly record struct GemmSplitPlan(bool ByColumns, int Unit, int Parts, int Total)
{
    /// <summary>A plan for C [m, n] over at most <paramref name="threads"/> parts; false when C is too small to cut.</summary>
    public static bool TryCreate(int m, int n, int threads, int mr, int nr, out GemmSplitPlan plan)
    {
        plan = default;
        bool byColumns;
        int unit, total;
        if (n >= 2 * threads * nr) (byColumns, unit, total) = (true, nr, n);
        else if (m >= 2 * threads * mr) (byColumns, unit, total) = (false, mr, m);
        else return false;
        int units = (total + unit - 1) / unit;
        plan = new GemmSplitPlan(byColumns, unit, Math.Min(threads, units), total);
        return true;
    }

    /// <summary>The columns (or rows) [from, to) of part <paramref name="part"/>; empty when the part has none.</summary>
    public (int From, int To) Range(int part)
    {
        int units = (Total + Unit - 1) / Unit;
        int from = Math.Min(Total, (int)((long)units * part / Parts) * Unit);
        int to = Math.Min(Total, (int)((long)units * (part + 1) / Parts) * Unit);
        return (from, to);
    }
}
