using RnnGen.Onnx;

namespace RnnGen.Models;

public abstract partial class SequenceTagger
{
    /// <summary>
    /// Writes this model as an ONNX model (opset 17) to <paramref name="path"/>, for inference with dropout off.
    /// Inputs: <c>tokens</c> int64 [batch, steps], padded after each row's end with any id, and (unless
    /// <paramref name="lengths"/> is false) <c>lengths</c> int64 [batch], each row's real length in 1..steps.
    /// Output: <c>logits</c> [batch, steps, tags]; positions past a row's length hold anything.
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
        string logits = e.BatchMajor(OnnxExport.Linear(g, net.Output, net.Parameters, "output", e.Y));
        g.Output(logits, "logits", OnnxType.Float, OnnxExport.Batch, OnnxExport.Steps, (long)Tags);
        OnnxExport.Save(path, g.ToModel(GetType().Name, OnnxExport.Opset, Configuration.ToString(), OnnxExport.Metadata(Configuration, metadata)));
    }
}
