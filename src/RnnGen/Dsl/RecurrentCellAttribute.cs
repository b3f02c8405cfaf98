namespace RnnGen;

/// <summary>
/// Marks a partial class as a recurrent cell. Its <c>Step</c> method is a specification that the
/// RnnGen source generator reads at compile time; it is never executed. The generator adds the
/// forward and backward passes over whole sequence batches and implements <see cref="IRecurrentCell"/>.
/// </summary>
/// <remarks>
/// When every state's next value is <c>a ⊙ state + b</c> with <c>a</c> and <c>b</c> free of states, the generator
/// plans the cell without a step loop: the coefficients of every step in one time-batched pass, then linear scans
/// (docs/ARCHITECTURE.md, "The linear-recurrence path"). The generated file says which plan it chose and why.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class RecurrentCellAttribute : Attribute
{
    /// <summary>Whether a cell linear in its states may run as scans (the default); false forces the step loop, to
    /// compare the two plans or as an escape hatch.</summary>
    public bool LinearPath { get; set; } = true;
}

/// <summary>
/// Stores several parameter fields of a cell as one tensor, stacked row-wise in declaration order,
/// under the given name. The built-in cells use it for PyTorch's layouts (<c>weight_ih</c> holds the
/// input weights of every gate).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class PackedAttribute(string name) : Attribute
{
    /// <summary>The name of the stacked tensor, for example <c>weight_ih</c>.</summary>
    public string Name { get; } = name;
}
