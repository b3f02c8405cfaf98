namespace RnnGen;

/// <summary>
/// Marks a partial class as a recurrent cell. Its <c>Step</c> method is a specification that the
/// RnnGen source generator reads at compile time; it is never executed. The generator adds the
/// forward and backward passes over whole sequence batches and implements <see cref="IRecurrentCell"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class RecurrentCellAttribute : Attribute;

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
