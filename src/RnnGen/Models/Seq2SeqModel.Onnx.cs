using RnnGen.Onnx;

namespace RnnGen.Models;

public abstract partial class Seq2SeqModel
{
    /// <summary>
    /// Writes this model as two ONNX models (opset 17), for inference with dropout off: the encoder to
    /// <paramref name="path"/> and one decoder step to <paramref name="decoderPath"/>, so a caller runs the encoder
    /// once per source and the step once per target token, greedy or in a beam.
    /// <para>The encoder reads <c>tokens</c> int64 [batch, source_steps] and <c>lengths</c> int64 [batch]; it gives
    /// <c>memory</c> [batch, source_steps, memory] and the decoder's initial states <c>state_out_{k}</c> [1, batch, hidden]
    /// (per decoder layer h, then c for LSTM; the bridge's output).</para>
    /// <para>The step reads <c>token</c> int64 [batch] (the previous target token, &lt;bos&gt; first), <c>state_in_{k}</c>,
    /// <c>memory</c> and <c>lengths</c>; it gives <c>logits</c> [batch, target vocabulary], <c>state_out_{k}</c> to feed
    /// back, and <c>attention</c> [batch, source_steps], the weights over the source (zero past each row's length).</para>
    /// </summary>
    /// <param name="path">The encoder's file.</param>
    /// <param name="decoderPath">The decoder step's file; by default <paramref name="path"/> with <c>.decoder.onnx</c> for its extension.</param>
    /// <param name="metadata">Strings to store in both models' metadata_props (the vocabularies, say), besides the configuration.</param>
    /// <exception cref="NotSupportedException">A layer's cell has no ONNX form yet (the message names the layer and the cell).</exception>
    public void ExportOnnx(string path, string? decoderPath = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        OnnxExport.CheckPath(path);
        decoderPath ??= Path.ChangeExtension(path, ".decoder.onnx");
        OnnxExport.CheckPath(decoderPath);
        if (Path.GetFullPath(decoderPath) == Path.GetFullPath(path))
            throw new ArgumentException($"The encoder and the decoder step would both be written to '{path}'.", nameof(decoderPath));
        using var _ = Caller.Enter();
        var net = Network;
        RecurrentStackExport.Check(net.Encoder);
        RecurrentStackExport.Check(net.Decoder);
        var all = OnnxExport.Metadata(Configuration, metadata);
        OnnxExport.Save(path, Seq2SeqExport.Encoder(net).ToModel(GetType().Name + ".Encoder", OnnxExport.Opset, Configuration.ToString(), all));
        OnnxExport.Save(decoderPath, Seq2SeqExport.DecoderStep(net).ToModel(GetType().Name + ".DecoderStep", OnnxExport.Opset, Configuration.ToString(), all));
    }
}
