using RnnGen.Models;

namespace CharLm.Commands;

/// <summary>
/// <c>rnngen export</c>: a checkpoint as an ONNX model (opset 17) at <c>--onnx</c>, with the vocabulary in its
/// metadata so that a caller can encode text without the checkpoint.
/// </summary>
public static class ExportCommand
{
    public static int Run(Options o, TextWriter output)
    {
        string onnx = o.Onnx ?? throw new CliException("export needs --onnx FILE: where to write the ONNX model", ExitCodes.Usage);
        string folder = Path.GetDirectoryName(Path.GetFullPath(onnx))!;
        if (!Directory.Exists(folder)) throw new CliException($"--onnx: cannot write '{onnx}': the folder '{folder}' does not exist");
        if (Directory.Exists(onnx)) throw new CliException($"--onnx: '{onnx}' is a folder; name the file to write");

        var loaded = ModelLoader.Load(o);
        try
        {
            loaded.Model.ExportOnnx(onnx, new Dictionary<string, string> { [LanguageModel.VocabularyMetadataKey] = loaded.Vocabulary.ToJson() });
        }
        catch (NotSupportedException e)
        {
            throw new CliException($"{loaded.Path}: {e.Message}");
        }
        int states = loaded.Model.Network.Rnn.Layers.Sum(l => l.Forward.StateCount);
        string numbers = states == 1 ? "0" : $"0..{states - 1}";
        output.WriteLine($"{onnx}: {loaded.Path} ({loaded.Preset.Name}) as ONNX, opset 17");
        output.WriteLine($"  inputs:  tokens int64 [batch, steps], state_in_{numbers} float [1, batch, hidden]");
        output.WriteLine($"  outputs: logits float [batch, steps, {loaded.Model.VocabSize}], state_out_{numbers}");
        return ExitCodes.Success;
    }
}
