using RnnGen.Generators.Model;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>
/// Builds a cell's IR directly, node by node, so that a stage can be tested on exactly the values it receives:
/// no source text, no parser (as dotnet/runtime tests its Regex analyses on trees it builds).
/// </summary>
internal sealed class Ir
{
    private readonly List<Node> _nodes = new();
    private readonly List<ParameterModel> _parameters = new();
    private readonly int _states;

    public Ir(int states = 1) => _states = states;

    public int Weight(string name, string? pack = null) => Parameter(name, ParameterKind.Weight, pack);
    public int BiasField(string name, string? pack = null) => Parameter(name, ParameterKind.Bias, pack);

    private int Parameter(string name, ParameterKind kind, string? pack)
    {
        _parameters.Add(new ParameterModel(name, kind, pack, null));
        return _parameters.Count - 1;
    }

    public int Input() => Add(new Node(0, NodeKind.Input, Name: "x"));
    public int State(int k = 0) => Add(new Node(0, NodeKind.State, StateIndex: k, Name: "h" + (k == 0 ? "" : k)));
    public int Bias(int parameter) => Add(new Node(0, NodeKind.Bias, Param: parameter, Name: _parameters[parameter].Field));
    public int Constant(double value) => Add(new Node(0, NodeKind.Constant, Value: value));
    public int MatVec(int weight, int operand) => Add(new Node(0, NodeKind.MatVec, A: operand, Param: weight));
    public int Op(NodeKind kind, int a, int b = -1, string? name = null) => Add(new Node(0, kind, A: a, B: b, Name: name));
    public int LayerNorm(int a, int gain, int bias, string? name = null) =>
        Add(new Node(0, NodeKind.LayerNorm, A: a, Param: gain, Param2: bias, Name: name));
    public int Output(int a, int k = 0) => Add(new Node(0, NodeKind.Output, A: a, StateIndex: k, Name: "h" + (k == 0 ? "" : k) + "Next"));

    private int Add(Node node)
    {
        _nodes.Add(node with { Id = _nodes.Count });
        return _nodes.Count - 1;
    }

    /// <summary>The cell, its outputs being every Output node in order.</summary>
    public CellModel Build(string name = "Cell") => new(
        "Sample", EquatableArray<string>.Empty, name, "internal", "x",
        Enumerable.Range(0, _states).Select(k => "h" + (k == 0 ? "" : k)).ToEquatableArray(),
        _parameters.ToEquatableArray(), _nodes.ToEquatableArray(),
        _nodes.Where(n => n.Kind == NodeKind.Output).Select(n => n.Id).ToEquatableArray(),
        EquatableArray<string>.Empty, null);
}
