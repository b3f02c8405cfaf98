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
        output.WriteLine(Generate(loaded.Model, loaded.Vocabulary, o.Prompt ?? "", o.Length, o.Temperature, o.TopK, o.TopP, o.Seed, o.Precision));
        return ExitCodes.Success;
    }

    public static string Generate(LanguageModel model, Vocabulary vocab, string prompt, int length, float temperature, int topK, float topP, int? seed,
        Precision? precision = null)
    {
        CheckPrompt(vocab, prompt);
        try
        {
            return precision is { } p
                ? GenerateThrough(model, vocab, prompt, length, new Sampler(temperature, topK, topP, seed), p)
                : model.Generate(vocab, prompt, length, temperature, topK, topP, seed);
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
    /// <see cref="LanguageModel.Generate"/>'s loop over a batch-1 session at <paramref name="precision"/>: the prompt fed
    /// token by token, then each sampled token. At fp32 it gives Generate's text; bf16 and int8 may differ where two
    /// characters were nearly equally likely.
    /// </summary>
    private static string GenerateThrough(LanguageModel model, Vocabulary vocab, string prompt, int length, Sampler sampler, Precision precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var ids = prompt.Length == 0 ? [0] : vocab.Encode(prompt);
        if (ids.Length == 0) ids = [0];
        using var session = model.CreateSession(1, precision);
        var logits = new float[model.VocabSize];
        var token = new int[1];
        foreach (int id in ids)
        {
            token[0] = id;
            session.Step(token, logits);
        }
        var generated = new int[length];
        for (int i = 0; i < length; i++)
        {
            generated[i] = token[0] = sampler.Sample(logits);
            session.Step(token, logits);
        }
        return prompt + vocab.Decode(generated);
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
