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
        CheckPrompt(vocab, prompt);
        try
        {
            return model.Generate(vocab, prompt, length, temperature, topK, topP, seed);
        }
        catch (ArgumentException e) when (e.ParamName is not null)
        {
            // Blame the option the argument came from, not the prompt.
            string option = e.ParamName.ToLowerInvariant() switch
            {
                "temperature" => "--temperature",
                "topk" => "--top-k",
                "topp" => "--top-p",
                "length" => "--length",
                "seed" => "--seed",
                _ => "--prompt",
            };
            throw new CliException($"{option}: {e.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>
    /// Every character of the prompt must be in the vocabulary, a character being what the vocabulary itself reads as one
    /// (a text element by default: a Hindi conjunct, a letter with combining accents, a ZWJ emoji, CRLF), so the check
    /// is the vocabulary's own encoding.
    /// </summary>
    private static void CheckPrompt(Vocabulary vocab, string prompt)
    {
        try
        {
            vocab.Encode(prompt);
        }
        catch (ArgumentException)
        {
            var unit = vocab.CharacterOptions?.Unit ?? CharacterUnit.TextElements;
            IEnumerable<string> characters = unit == CharacterUnit.Runes
                ? prompt.EnumerateRunes().Select(r => r.ToString())
                : TextElements(prompt);
            string missing = characters.FirstOrDefault(c => !vocab.Contains(c)) ?? prompt;
            string codes = string.Join(" ", missing.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));
            throw new CliException($"--prompt: the character '{missing}' ({codes}) is not in the model's vocabulary", ExitCodes.Usage);
        }
    }

    private static IEnumerable<string> TextElements(string text)
    {
        var e = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext()) yield return e.GetTextElement();
    }
}
