using RnnGen.Recurrence;

namespace RnnGen.Inference;

/// <summary>
/// Which cells a <see cref="FusedLayerStep"/> can split by hidden columns, and how the columns are cut. A column's
/// next state must depend on nothing but its own columns of the products, which hold when every recurrent product
/// multiplies a state at the start of the step (all known before the step) and no pass normalises a row.
/// </summary>
internal static class FusedColumns
{
    /// <summary>Null when the plan fits; otherwise why not, in words for an error message.</summary>
    public static string? WhyNot(RecurrencePlan plan)
    {
        if (plan.Norms.Length > 0)
            return "its step normalises each row (a LayerNorm), which needs the whole row before any column can go on";
        if (plan.MaxLevel > 1)
            return $"its step has products at {plan.MaxLevel} levels, each needing a whole row of the level before";
        foreach (var product in plan.Products)
            if (product.Operand.Kind == OperandKind.Saved)
                return "one of its products multiplies a value computed earlier in the step, which needs the whole row first";
        return null;
    }

    /// <summary>
    /// How many parts split <paramref name="hidden"/> columns on <paramref name="threads"/> threads: one per thread,
    /// but never a part under one <see cref="RecurrenceDriver.ColumnAlignment"/> unit of columns.
    /// </summary>
    public static int Parts(int hidden, int threads) =>
        Math.Max(1, Math.Min(threads, Units(hidden)));

    /// <summary>Part <paramref name="part"/>'s columns: whole alignment units, fixed by the hidden size and the part count.</summary>
    public static (int First, int End) Range(int hidden, int part, int parts)
    {
        int units = Units(hidden);
        int first = (int)((long)units * part / parts) * RecurrenceDriver.ColumnAlignment;
        int end = (int)((long)units * (part + 1) / parts) * RecurrenceDriver.ColumnAlignment;
        return (Math.Min(first, hidden), Math.Min(end, hidden));
    }

    private static int Units(int hidden) => (hidden + RecurrenceDriver.ColumnAlignment - 1) / RecurrenceDriver.ColumnAlignment;
}
