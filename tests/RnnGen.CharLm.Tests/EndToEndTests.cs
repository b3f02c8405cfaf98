using System.Globalization;
using CharLm;

namespace RnnGen.CharLm.Tests;

/// <summary>A tiny model trained, sampled and evaluated on a made-up corpus, all in-process.</summary>
public class EndToEndTests
{
    internal static readonly string[] TinyTraining = ["--model", "gru-tiny", "--batch", "4", "--steps", "16", "--lr", "0.01", "--seed", "1"];

    /// <summary><paramref name="defaults"/> (option, value pairs) less the options that <paramref name="given"/> holds: an option may be given once.</summary>
    internal static string[] Without(string[] defaults, string[] given)
    {
        var names = given.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
        return defaults.Chunk(2).Where(pair => !names.Contains(pair[0])).SelectMany(pair => pair).ToArray();
    }

    [Fact]
    public void Train_then_sample_then_eval()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string run = dir.File("run");

        var train = CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", "2", "--prompt", "the ", .. TinyTraining]);
        Assert.True(train.ExitCode == 0, train.Err + train.Out);
        Assert.Contains("Training gru-tiny", train.Out);
        Assert.Contains("validation at step", train.Out);
        Assert.Contains("Stopped: 2 epoch(s) done.", train.Out);
        Assert.Contains("Final validation (best checkpoint", train.Out);
        Assert.Contains("perplexity", train.Out);
        Assert.Contains("--- sample, temperature 0.5 ---", train.Out);
        Assert.Contains("--- sample, temperature 1.0 ---", train.Out);
        foreach (var file in new[] { "best.safetensors", "last.safetensors", "vocab.json", "loss.csv", "loss.png", "run.json" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);

        // The PNG is a real PNG; the CSV has the header and validation rows.
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(run, "loss.png"))[..4]);
        var csv = File.ReadAllLines(Path.Combine(run, "loss.csv"));
        Assert.Equal(LossCurve.Header, csv[0]);
        Assert.Contains(csv.Skip(1), line => line.Split(',')[5].Length > 0);
        // The vocabulary is the corpus's characters.
        var vocab = Vocabulary.FromJson(File.ReadAllText(Path.Combine(run, "vocab.json")));
        Assert.Equal(Vocabulary.Characters(File.ReadAllText(corpus)).Tokens, vocab.Tokens);

        var sample = CliRunner.Run("sample", "--out", run, "--prompt", "the cat", "--length", "80", "--temperature", "0.5", "--seed", "3", "--top-k", "10");
        Assert.True(sample.ExitCode == 0, sample.Err);
        Assert.StartsWith("the cat", sample.Out);
        Assert.Equal("the cat".Length + 80, sample.Out.TrimEnd('\n').Length);
        // Same seed, same text.
        Assert.Equal(sample.Out, CliRunner.Run("sample", "--out", run, "--prompt", "the cat", "--length", "80", "--temperature", "0.5", "--seed", "3", "--top-k", "10").Out);

        var eval = CliRunner.Run("eval", "--out", run);
        Assert.True(eval.ExitCode == 0, eval.Err);
        Assert.Contains("the validation part of", eval.Out);
        Assert.Contains("perplexity", eval.Out);
        var evalAll = CliRunner.Run("eval", "--checkpoint", Path.Combine(run, "best.safetensors"), "--text", corpus);
        Assert.True(evalAll.ExitCode == 0, evalAll.Err);
        double perplexity = double.Parse(evalAll.Out.Split("perplexity ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(perplexity, 1, vocab.Count); // it learned something: better than uniform guessing
    }

    [Fact]
    public void Checkpoint_for_a_different_model_is_a_clear_error()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string run = dir.File("run");
        var train = CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", "1", "--length", "10", .. TinyTraining]);
        Assert.True(train.ExitCode == 0, train.Err);
        string best = Path.Combine(run, "best.safetensors");

        var r = CliRunner.Run("sample", "--checkpoint", best, "--model", "gru-small");
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains($"error: {best}: it holds a different model", r.Err);
        Assert.DoesNotContain("   at ", r.Err);

        var resume = CliRunner.Run("train", "--resume", "--out", run, "--model", "lstm-small", "--epochs", "2");
        Assert.Equal(ExitCodes.Input, resume.ExitCode);
        Assert.Contains("it holds a different model", resume.Err);
        Assert.Contains("last.safetensors", resume.Err);
    }

    [Fact]
    public void Prompt_outside_the_vocabulary()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", "1", "--length", "10", .. TinyTraining]).ExitCode);
        var r = CliRunner.Run("sample", "--out", run, "--prompt", "Zebra");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--prompt: the character 'Z' (U+005A) is not in the model's vocabulary", r.Err);
    }

    [Fact]
    public void Text_folder_concatenates_txt_files_in_order()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("texts"));
        File.WriteAllText(dir.File("texts/b.txt"), "second ");
        File.WriteAllText(dir.File("texts/a.txt"), "first ");
        File.WriteAllText(dir.File("texts/c.md"), "ignored ");
        var corpus = CorpusLoader.Load(dir.File("texts"));
        Assert.Equal("first second ", corpus.Text);
    }
}
