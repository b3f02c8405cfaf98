using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;

namespace CharLm.Commands;

/// <summary><c>rnngen sample</c>: continues a prompt with a trained model.</summary>
public static class SampleCommand
{
    public static int Run(Options o, TextWriter output)
    {
        var loaded = ModelLoader.Load(o);
        output.WriteLine(Generate(loaded.Model, loaded.Vocabulary, o.Prompt ?? "", o.Length, o.Temperature, o.TopK, o.TopP, o.Seed));
        return ExitCodes.Success;
    }

    public static string Generate(LanguageModel model, Vocabulary vocab, string prompt, int length, float temperature, int topK, float topP, int? seed)
    {
        foreach (var c in prompt.EnumerateRunes())
            if (!vocab.Contains(c.ToString()))
                throw new CliException($"--prompt: the character '{c}' is not in the model's vocabulary");
        try
        {
            return model.Generate(vocab, prompt, length, temperature, topK, topP, seed);
        }
        catch (ArgumentException e) when (e.ParamName is not null)
        {
            throw new CliException($"--prompt: {e.Message}");
        }
    }
}
