using System.Linq;
using RnnGen.Generators.Diagnostics;

namespace RnnGen.Generators.Model;

/// <summary>The size class of a value: sizes are symbolic, since a cell is used at any input and hidden size.</summary>
internal enum Size { Scalar, Input, Hidden }

/// <summary>
/// One SSA value of a cell's step. Nodes are numbered in evaluation order, so every operand has a
/// smaller id than its user.
/// </summary>
internal sealed record Node(int Id, NodeKind Kind, int A = -1, int B = -1, int Param = -1, int Param2 = -1,
    int StateIndex = -1, double Value = 0, string? Name = null, LocationInfo? Location = null)
{
    public bool IsLeaf => Kind is NodeKind.Input or NodeKind.State or NodeKind.Bias or NodeKind.Constant or NodeKind.MatVec;
    public bool IsElementwise => !IsLeaf;
}

internal enum ParameterKind { Weight, Bias }

/// <summary>A learned field of the cell. <see cref="Pack"/> names the tensor it is stacked into, if any.</summary>
internal sealed record ParameterModel(string Field, ParameterKind Kind, string? Pack, LocationInfo? Location)
{
    /// <summary>For a weight, the size of the vectors it multiplies (set by the shape checker); a bias is one column.</summary>
    public Size Columns { get; init; } = Size.Hidden;
    /// <summary>Whether the parameter is the gain of a LayerNorm, which starts at one.</summary>
    public bool IsGain { get; init; }
    /// <summary>Whether the parameter is the bias of a LayerNorm, which starts at zero.</summary>
    public bool IsNormBias { get; init; }
}

/// <summary>A pipeline value that stands for one declaration, so that an internal error can be reported on it.</summary>
internal interface ISourceDeclared
{
    string TypeName { get; }
    LocationInfo? Location { get; }
}

/// <summary>Everything the generator knows about one cell after parsing: plain values only.</summary>
internal sealed record CellModel(
    string? Namespace,
    EquatableArray<string> ContainingTypes,   // names of enclosing partial classes, outermost first
    string TypeName,
    string Accessibility,
    string InputName,
    EquatableArray<string> StateNames,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<Node> Nodes,
    EquatableArray<int> Outputs,              // node id of each returned state, in state order
    EquatableArray<string> Equations,         // the Step body, a statement a line, for comments
    LocationInfo? Location)                   // the class name, where internal errors are reported
    : ISourceDeclared
{
    /// <summary>How many of <see cref="StateNames"/>, at the end, are states the parser adds for Ops.Prev
    /// (Parsing/CellParser.Previous), which carry the previous input or its product by a weight; the others the Step
    /// method declares.</summary>
    public int PrevStates { get; init; }

    /// <summary>The states the Step method declares, before those added for Prev.</summary>
    public int DeclaredStates => StateNames.Count - PrevStates;

    /// <summary>Null, or the first place the step reads its input elementwise (set by the shape checker): the layer
    /// then needs input size = hidden size, which its constructor checks.</summary>
    public string? InputElementwise { get; init; }

    /// <summary>[RecurrentCell(LinearPath = ...)]: whether the planner may choose linear scans over the step loop.</summary>
    public bool LinearPath { get; init; } = true;

    public string FullName => string.Join(".", new[] { Namespace }.Concat(ContainingTypes).Concat(new[] { TypeName }).Where(n => !string.IsNullOrEmpty(n)));

    /// <summary>
    /// The cell with every source position dropped: what the stages after the shape check see, so that an edit that
    /// only moves the cell's lines leaves their inputs equal and their outputs cached. Diagnostics from those stages
    /// name the cell's <see cref="FullName"/>, and the output step places them (<see cref="DeclarationPlace"/>).
    /// </summary>
    public CellModel WithoutPositions() => this with
    {
        Nodes = Nodes.Select(n => n.Location is null ? n : n with { Location = null }).ToEquatableArray(),
        Parameters = Parameters.Select(p => p.Location is null ? p : p with { Location = null }).ToEquatableArray(),
        Location = null,
    };
}

/// <summary>Where a declaration is in the source, by its full name: kept apart from the positionless stages.</summary>
internal sealed record DeclarationPlace(string Declaration, LocationInfo? Location);

/// <summary>The result of one pipeline stage: a value (absent when an error stops the cell) and the diagnostics so far.</summary>
internal sealed record StageResult<T>(T? Value, EquatableArray<DiagnosticInfo> Diagnostics) where T : class;
