using System.ComponentModel;

namespace RnnGen.Recurrence;

/// <summary>What a product of stacked weights multiplies.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum OperandKind
{
    /// <summary>The step's input x: the product is hoisted out of the recurrence, all steps in one GEMM.</summary>
    Input,
    /// <summary>A recurrent state (its index among the states) at the start of the step.</summary>
    State,
    /// <summary>A value computed by an earlier pass of the same step and saved per step (its index among the saved values).</summary>
    Saved,
}

/// <summary>
/// The operand of a product. A saved value's adjoint gathers in the adjoint slot <see cref="AdjointSlot"/>
/// during the backward step; a state's in the state adjoints.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ProductOperand(OperandKind Kind, int Index, int AdjointSlot)
{
    public static ProductOperand Input => new(OperandKind.Input, 0, -1);
    public static ProductOperand State(int state) => new(OperandKind.State, state, -1);
    public static ProductOperand Saved(int value, int adjointSlot) => new(OperandKind.Saved, value, adjointSlot);
}

/// <summary>
/// Consecutive blocks [FirstBlock, FirstBlock + Blocks) of a product whose weights lie next to each other in the
/// flat parameter span, from offset <see cref="Weight"/>: one GEMM against them, stacked row-wise.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ProductRun(int Weight, int FirstBlock, int Blocks);

/// <summary>
/// One product of a step: the weights of <see cref="Runs"/> (Blocks x hidden rows in all) times
/// <see cref="Operand"/>, into a buffer [steps, batch, Blocks x hidden] whose block k is the k-th weight's
/// product. A recurrent product of level L is computed before the pass of level L.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RecurrenceProduct
{
    public RecurrenceProduct(ProductOperand operand, int level, int blocks, ProductRun[] runs, bool adjointAdds)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (blocks <= 0) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "A product needs at least one block of hidden rows.");
        int covered = 0;
        foreach (var run in runs)
        {
            if (run.FirstBlock != covered || run.Blocks <= 0)
                throw new ArgumentException($"The runs of a product must cover its {blocks} blocks in order; a run starts at block {run.FirstBlock} where block {covered} was expected.", nameof(runs));
            covered += run.Blocks;
        }
        if (covered != blocks) throw new ArgumentException($"The runs of a product cover {covered} blocks, not its {blocks}.", nameof(runs));
        Operand = operand;
        Level = level;
        Blocks = blocks;
        _runs = runs;
        AdjointAdds = adjointAdds;
    }

    public ProductOperand Operand { get; }
    public int Level { get; }
    /// <summary>The number of hidden-size blocks in a row of the product's buffer.</summary>
    public int Blocks { get; }
    private readonly ProductRun[] _runs;
    public ReadOnlySpan<ProductRun> Runs => _runs;
    /// <summary>Whether several segments add to the product's adjoint (then it is cleared first) rather than one storing it.</summary>
    public bool AdjointAdds { get; }
    public bool IsInput => Operand.Kind == OperandKind.Input;
}
