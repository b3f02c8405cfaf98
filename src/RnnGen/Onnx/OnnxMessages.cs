using System.Runtime.InteropServices;

namespace RnnGen.Onnx;

// The ONNX messages an export writes, each with its field numbers from onnx.proto (ONNX IR version 8).
// Only the fields we set are modelled; everything else keeps protobuf's default.

/// <summary>ONNX's TensorProto.DataType values that an export uses.</summary>
internal enum OnnxType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
}

/// <summary>A TensorProto: an initializer or a constant. The values travel as raw little-endian bytes (raw_data).</summary>
internal sealed record OnnxTensor(string Name, OnnxType Type, long[] Dims, byte[] Data)
{
    public static OnnxTensor Floats(string name, long[] dims, ReadOnlySpan<float> values) =>
        new(name, OnnxType.Float, dims, LittleEndian(MemoryMarshal.AsBytes(values)));

    public static OnnxTensor Int64s(string name, long[] dims, ReadOnlySpan<long> values) =>
        new(name, OnnxType.Int64, dims, LittleEndian(MemoryMarshal.AsBytes(values)));

    // raw_data is little-endian whatever the host; every platform .NET runs RnnGen on is.
    private static byte[] LittleEndian(ReadOnlySpan<byte> bytes) =>
        BitConverter.IsLittleEndian ? bytes.ToArray() : throw new PlatformNotSupportedException("ONNX export needs a little-endian machine.");

    public ProtobufWriter Write()
    {
        var w = new ProtobufWriter();
        foreach (long d in Dims) w.Int64(1, d); // dims
        w.Int64(2, (long)Type);                 // data_type
        w.String(8, Name);                      // name
        w.Bytes(9, Data);                       // raw_data
        return w;
    }
}

/// <summary>An AttributeProto of one of the kinds an export uses: int, float, string, ints, floats, strings, a graph.</summary>
internal sealed record OnnxAttribute(string Name, object Value)
{
    // AttributeProto.AttributeType
    private const int FloatKind = 1, IntKind = 2, StringKind = 3, GraphKind = 5, FloatsKind = 6, IntsKind = 7, StringsKind = 8;

    public ProtobufWriter Write()
    {
        var w = new ProtobufWriter();
        w.String(1, Name);
        switch (Value)
        {
            case long i: w.Int64(3, i); w.Int64(20, IntKind); break;
            case int i: w.Int64(3, i); w.Int64(20, IntKind); break;
            case float f: w.Float(2, f); w.Int64(20, FloatKind); break;
            case string s: w.String(4, s); w.Int64(20, StringKind); break;
            case long[] ints: foreach (long i in ints) w.Int64(8, i); w.Int64(20, IntsKind); break;
            case float[] floats: foreach (float f in floats) w.Float(7, f); w.Int64(20, FloatsKind); break;
            case string[] strings: foreach (string s in strings) w.String(9, s); w.Int64(20, StringsKind); break;
            case OnnxGraphProto g: w.Message(6, g.Write()); w.Int64(20, GraphKind); break;
            default: throw new ArgumentException($"Attribute '{Name}' has a value of type {Value.GetType().Name}, which ONNX export does not write.");
        }
        return w;
    }
}

/// <summary>A NodeProto: one operator with named inputs (an empty name leaves an optional input out) and outputs.</summary>
internal sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes)
{
    public ProtobufWriter Write()
    {
        var w = new ProtobufWriter();
        foreach (var i in Inputs) w.String(1, i);
        foreach (var o in Outputs) w.String(2, o);
        w.String(3, Name);
        w.String(4, OpType);
        foreach (var a in Attributes) w.Message(5, a.Write());
        return w;
    }
}

/// <summary>
/// A ValueInfoProto for a graph input or output: a tensor type whose dimensions are each a size (a long) or a
/// symbolic name (a string, ONNX's dim_param, for the dynamic batch and steps axes).
/// </summary>
internal sealed record OnnxValueInfo(string Name, OnnxType Type, object[] Dims)
{
    public ProtobufWriter Write()
    {
        var shape = new ProtobufWriter();
        foreach (var d in Dims)
        {
            var dim = new ProtobufWriter();
            if (d is string param) dim.String(2, param); // dim_param
            else dim.Int64(1, d is int i ? i : (long)d); // dim_value
            shape.Message(1, dim);
        }
        var tensor = new ProtobufWriter();
        tensor.Int64(1, (long)Type); // elem_type
        tensor.Message(2, shape);    // shape
        var type = new ProtobufWriter();
        type.Message(1, tensor);     // tensor_type
        var w = new ProtobufWriter();
        w.String(1, Name);
        w.Message(2, type);
        return w;
    }
}

/// <summary>A GraphProto: nodes in topological order, initializers, inputs and outputs.</summary>
internal sealed record OnnxGraphProto(string Name, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs)
{
    public ProtobufWriter Write()
    {
        var w = new ProtobufWriter();
        foreach (var n in Nodes) w.Message(1, n.Write());
        w.String(2, Name);
        foreach (var t in Initializers) w.Message(5, t.Write());
        foreach (var i in Inputs) w.Message(11, i.Write());
        foreach (var o in Outputs) w.Message(12, o.Write());
        return w;
    }
}

/// <summary>A ModelProto: the IR version, the operator set (the default domain only), the producer, one graph, string metadata.</summary>
internal sealed record OnnxModelProto(OnnxGraphProto Graph, int Opset, string DocString, IReadOnlyDictionary<string, string>? Metadata = null)
{
    /// <summary>ONNX IR version 8 is the one that goes with opset 17.</summary>
    public const long IrVersion = 8;

    public byte[] Write()
    {
        var opset = new ProtobufWriter();
        opset.String(1, "");          // domain: the default, ai.onnx
        opset.Int64(2, Opset);        // version
        var w = new ProtobufWriter();
        w.Int64(1, IrVersion);        // ir_version
        w.String(2, "RnnGen");        // producer_name
        w.String(3, typeof(OnnxModelProto).Assembly.GetName().Version?.ToString() ?? "0"); // producer_version
        w.String(6, DocString);       // doc_string
        w.Message(7, Graph.Write());  // graph
        w.Message(8, opset);          // opset_import
        foreach (var (key, value) in Metadata ?? new Dictionary<string, string>())
        {
            var entry = new ProtobufWriter(); // StringStringEntryProto
            entry.String(1, key);
            entry.String(2, value);
            w.Message(14, entry);     // metadata_props
        }
        return w.Written.ToArray();
    }
}
