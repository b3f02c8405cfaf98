using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Planning;

/// <summary>One tensor of the flat parameter span: a field, or the fields packed under one name.</summary>
internal sealed record TensorPlan(string Name, EquatableArray<int> Fields, Size Columns);

/// <summary>
/// The weight products that share one operand: computed as one matrix product against the weights
/// stacked row-wise (one product per run of weights that lie next to each other in the flat span).
/// The group with <see cref="Operand"/> -1 multiplies the input and is hoisted out of the recurrence.
/// </summary>
internal sealed record ProductGroup(int Index, int Operand, int Level, string Name, EquatableArray<int> Products, EquatableArray<Run> Runs);

/// <summary>Consecutive members [Start, Start + Count) of a group whose weights are contiguous in the flat span.</summary>
internal sealed record Run(int Start, int Count);

/// <summary>The elementwise nodes of one pass between two row reductions (LayerNorm statistics).</summary>
internal sealed record Segment(int Pass, int Index, EquatableArray<int> Nodes, EquatableArray<int> Norms);

/// <summary>The elementwise work of one step after the products of one level: a row loop over segments.</summary>
internal sealed record Pass(int Level, EquatableArray<Segment> Segments);

/// <summary>
/// Where every value and adjoint lives, and in what order the work of a step happens. The emitter
/// only renders this.
/// </summary>
internal sealed record CellPlan(
    CellModel Cell,
    EquatableArray<Contribution> Contributions,
    EquatableArray<TensorPlan> Tensors,
    EquatableArray<int> FieldOrder,          // per parameter: its position in the flat span
    EquatableArray<ProductGroup> Groups,     // the input group (if any) first
    EquatableArray<int> GroupOf,             // per node: its product group, or -1
    EquatableArray<int> BlockOf,             // per product node: its column block in the group
    EquatableArray<Pass> Passes,
    EquatableArray<int> Level,               // per node
    EquatableArray<int> PassOf,              // per node: index into Passes, or -1 for leaves
    EquatableArray<int> SegmentOf,           // per node
    EquatableArray<bool> Saved,              // per node: value kept per step in a [steps, batch, hidden] buffer
    EquatableArray<bool> AdjointSlot,        // per node: adjoint kept in a [batch, hidden] buffer during a step
    EquatableArray<bool> GroupNeedsZero,     // per group: its adjoint buffer is written from several places
    EquatableArray<string> Names)            // per node: the C# identifier of its value
    : ISourceDeclared
{
    /// <summary>The step loop, or linear scans (<see cref="LinearRecurrence"/>), and why.</summary>
    public RecurrenceChoice Recurrence { get; init; } = RecurrenceChoice.StepLoop("");

    public string TypeName => Cell.TypeName;
    public LocationInfo? Location => Cell.Location;
}
