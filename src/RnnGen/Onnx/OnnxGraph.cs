namespace RnnGen.Onnx;

/// <summary>
/// Builds one ONNX graph with named values: each node's outputs get fresh names (or the names asked for), weights
/// become initializers, and graph outputs that an inner value should carry are renamed through Identity.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [], _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly OnnxGraph? _root;
    private int _next;

    public OnnxGraph()
    {
    }

    private OnnxGraph(OnnxGraph root) => _root = root;

    /// <summary>
    /// A graph for an operator's attribute (a Scan's body): its values are named from the same pool as the whole
    /// model's, and the weights and constants it asks for become initializers of the outer graph, which the body
    /// reads from the outer scope.
    /// </summary>
    public OnnxGraph Subgraph() => new(_root ?? this);

    /// <summary>This graph as a GraphProto, for a subgraph's attribute.</summary>
    public OnnxGraphProto ToGraph(string name) => new(name, _nodes, _initializers, _inputs, _outputs);

    /// <summary>Declares a graph input; its name is the value's name.</summary>
    public string Input(string name, OnnxType type, params object[] dims)
    {
        Claim(name);
        _inputs.Add(new OnnxValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as the graph output <paramref name="name"/> (through Identity when the names differ).</summary>
    public void Output(string value, string name, OnnxType type, params object[] dims)
    {
        if (value != name) Node("Identity", [value], [name]);
        _outputs.Add(new OnnxValueInfo(name, type, dims));
    }

    /// <summary>A float initializer (a weight) named <paramref name="name"/>.</summary>
    public string Weight(string name, long[] dims, ReadOnlySpan<float> values)
    {
        if (_root is not null) return _root.Weight(name, dims, values);
        Claim(name);
        _initializers.Add(OnnxTensor.Floats(name, dims, values));
        return name;
    }

    /// <summary>A constant int64 vector (axes, shapes, perms given as inputs).</summary>
    public string Int64s(params long[] values)
    {
        if (_root is not null) return _root.Int64s(values);
        string name = Fresh("const");
        _initializers.Add(OnnxTensor.Int64s(name, [values.Length], values));
        return name;
    }

    /// <summary>A constant scalar int64.</summary>
    public string Int64Scalar(long value)
    {
        if (_root is not null) return _root.Int64Scalar(value);
        string name = Fresh("const");
        _initializers.Add(OnnxTensor.Int64s(name, [], [value]));
        return name;
    }

    /// <summary>A constant scalar float.</summary>
    public string Scalar(float value)
    {
        if (_root is not null) return _root.Scalar(value);
        string name = Fresh("const");
        _initializers.Add(OnnxTensor.Floats(name, [], [value]));
        return name;
    }

    /// <summary>One operator with one output; returns the output's fresh name.</summary>
    public string Op(string opType, string[] inputs, params OnnxAttribute[] attributes) => Node(opType, inputs, [null], attributes)[0];

    /// <summary>One operator whose outputs take the given names (fresh ones where a name is null).</summary>
    public string[] Node(string opType, string[] inputs, string?[] outputs, params OnnxAttribute[] attributes)
    {
        var named = outputs.Select(o => o is null ? Fresh(opType) : Claim(o)).ToArray();
        _nodes.Add(new OnnxNode(opType, $"{opType}_{_nodes.Count}", inputs, named, attributes));
        return named;
    }

    /// <summary>The model file's bytes: this graph under opset <paramref name="opset"/>.</summary>
    public byte[] ToModel(string graphName, int opset, string docString, IReadOnlyDictionary<string, string>? metadata = null) =>
        new OnnxModelProto(new OnnxGraphProto(graphName, _nodes, _initializers, _inputs, _outputs), opset, docString, metadata).Write();

    private string Fresh(string stem)
    {
        if (_root is not null) return _root.Fresh(stem);
        string name;
        do name = $"{stem}_{_next++}"; while (_names.Contains(name));
        return Claim(name);
    }

    private string Claim(string name)
    {
        if (_root is not null) return _root.Claim(name);
        if (!_names.Add(name)) throw new InvalidOperationException($"Two values of the ONNX graph are named '{name}'.");
        return name;
    }
}
