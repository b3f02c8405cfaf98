using RnnGen.Onnx;

namespace RnnGen.Models;

public abstract partial class SequenceClassifier
{
    /// <summary>
    /// Writes this model as an ONNX model (opset 17) to <paramref name="path"/>, for inference with dropout off.
    /// Inputs: <c>tokens</c> int64 [batch, steps], padded after each row's end with any id, and (unless
    /// <paramref name="lengths"/> is false) <c>lengths</c> int64 [batch], each row's real length in 1..steps.
    /// Output: <c>logits</c> [batch, classes], pooled over each row's real steps as <see cref="Pooling"/> says.
    /// Bidirectional layers become ONNX operators with <c>direction = "bidirectional"</c>.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="lengths">Whether the graph takes the <c>lengths</c> input; without it every row is read to the full steps.</param>
    /// <param name="metadata">Strings to store in the model's metadata_props (a vocabulary, say), besides the configuration under <see cref="ModelConfiguration.MetadataKey"/>.</param>
    /// <exception cref="NotSupportedException">A layer's cell has no ONNX form yet (the message names the layer and the cell).</exception>
    public void ExportOnnx(string path, bool lengths = true, IReadOnlyDictionary<string, string>? metadata = null)
    {
        OnnxExport.CheckPath(path);
        using var _ = Caller.Enter();
        var net = _network;
        var e = SequenceExport.OfTokens(net, lengths);
        var g = e.Graph;
        string pooled = net.Pool.Kind switch
        {
            // The recurrent operators' last hidden state is each row's last real step forwards and step 0 backwards,
            // which is what Last pools: [directions, batch, hidden] -> [batch, directions * hidden].
            Pooling.Last => g.Op("Reshape", [g.Op("Transpose", [e.LastHidden], OnnxExport.Perm(1, 0, 2)), g.Int64s(0, -1)]),
            Pooling.Mean => e.RealSteps() is { } real
                ? g.Op("Div", [
                    g.Op("ReduceSum", [g.Op("Mul", [e.Y, g.Op("Cast", [real], new OnnxAttribute("to", (long)OnnxType.Float))]), g.Int64s(0)], new OnnxAttribute("keepdims", 0L)),
                    g.Op("Unsqueeze", [g.Op("Cast", [e.Lengths!], new OnnxAttribute("to", (long)OnnxType.Float)), g.Int64s(1)])])
                : g.Op("ReduceMean", [e.Y], new OnnxAttribute("axes", new long[] { 0 }), new OnnxAttribute("keepdims", 0L)),
            Pooling.Max => g.Op("ReduceMax", [e.RealSteps() is { } real ? g.Op("Where", [real, e.Y, g.Scalar(float.NegativeInfinity)]) : e.Y],
                new OnnxAttribute("axes", new long[] { 0 }), new OnnxAttribute("keepdims", 0L)),
            _ => throw new NotSupportedException($"Pooling {net.Pool.Kind} has no ONNX form."),
        };
        g.Output(OnnxExport.Linear(g, net.Output, net.Parameters, "output", pooled), "logits", OnnxType.Float, OnnxExport.Batch, (long)Classes);
        OnnxExport.Save(path, g.ToModel(GetType().Name, OnnxExport.Opset, Configuration.ToString(), OnnxExport.Metadata(Configuration, metadata)));
    }
}
