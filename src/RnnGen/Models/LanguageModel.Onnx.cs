using RnnGen.Onnx;

namespace RnnGen.Models;

public abstract partial class LanguageModel
{
    /// <summary>
    /// Writes this model as an ONNX model (opset 17) to <paramref name="path"/>, for inference with dropout off.
    /// Inputs: <c>tokens</c> int64 [batch, steps] and one <c>state_in_{k}</c> float [1, batch, hidden] per state of
    /// every layer, bottom layer first (a GRU or tanh RNN layer has one, h; an LSTM layer two, h then c); zeros start
    /// a sequence. Outputs: <c>logits</c> [batch, steps, vocab] and the matching <c>state_out_{k}</c>, which a caller
    /// feeds back as <c>state_in_{k}</c> to continue the stream. Batch and steps are dynamic axes.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="metadata">Strings to store in the model's metadata_props (a vocabulary, say), besides the configuration under <see cref="ModelConfiguration.MetadataKey"/>.</param>
    /// <exception cref="NotSupportedException">A layer's cell has no ONNX form yet (the message names the layer and the cell).</exception>
    public void ExportOnnx(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        OnnxExport.CheckPath(path);
        using var _ = Caller.Enter();
        var net = _network;
        var rnn = net.Rnn;
        RecurrentStackExport.Check(rnn);
        var g = new OnnxGraph();
        string tokens = g.Input("tokens", OnnxType.Int64, OnnxExport.Batch, OnnxExport.Steps);

        int k = 0;
        var states = new List<RecurrentStackExport.LayerStates>();
        var finals = new List<(string Name, int Hidden)>();
        foreach (var layer in rnn.Layers)
        {
            var initial = new string[layer.Forward.StateCount];
            var final = new string[layer.Forward.StateCount];
            for (int s = 0; s < initial.Length; s++, k++)
            {
                initial[s] = g.Input($"state_in_{k}", OnnxType.Float, 1L, OnnxExport.Batch, (long)layer.Forward.HiddenSize);
                final[s] = $"state_out_{k}";
                finals.Add((final[s], layer.Forward.HiddenSize));
            }
            states.Add(new(initial, final));
        }

        string x = OnnxExport.Embed(g, net.Embedding, net.Parameters, "embedding.weight", tokens);
        var (y, _) = RecurrentStackExport.Write(g, rnn, net.Parameters, "rnn", x, lengths: null, states);
        string logits = OnnxExport.Linear(g, net.Output, net.Parameters, "output", y);
        g.Output(g.Op("Transpose", [logits], OnnxExport.Perm(1, 0, 2)), "logits", OnnxType.Float, OnnxExport.Batch, OnnxExport.Steps, (long)VocabSize);
        foreach (var (name, hidden) in finals) g.Output(name, name, OnnxType.Float, 1L, OnnxExport.Batch, (long)hidden);
        OnnxExport.Save(path, g.ToModel(GetType().Name, OnnxExport.Opset, Configuration.ToString(), OnnxExport.Metadata(Configuration, metadata)));
    }
}
