using System.Globalization;
using CharLm;

namespace RnnGen.CharLm.Tests;

/// <summary>An interrupted run (the Ctrl+C path: its cancellation token) resumes where it stopped, losing nothing.</summary>
public class ResumeTests
{
    private sealed record Row(long Step, long Tokens, string Line);

    private static List<Row> ReadCsv(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split(','))
            .Select((f, i) => new Row(long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture), string.Join(',', f)))
            .ToList();

    [Fact]
    public void Interrupted_run_resumes_from_the_saved_step()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 200);
        string run = dir.File("run");
        const int epochs = 3;

        // Interrupt at the first progress report, as Ctrl+C would.
        using var cts = new CancellationTokenSource();
        var first = CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", epochs.ToString(CultureInfo.InvariantCulture), .. EndToEndTests.TinyTraining],
            cts.Token, new CliHooks(OnProgress: _ => cts.Cancel()));
        Assert.Equal(ExitCodes.Interrupted, first.ExitCode);
        Assert.Contains("Interrupted after", first.Out);
        Assert.Contains($"Resume with: rnngen train --resume --out {run}", first.Out);

        string last = Path.Combine(run, "last.safetensors");
        var saved = SafeTensors.Read(last).Metadata;
        long savedTokens = long.Parse(saved["rnngen.trainer.tokens"], CultureInfo.InvariantCulture);
        var before = ReadCsv(Path.Combine(run, "loss.csv"));
        Assert.NotEmpty(before);
        Assert.Equal(savedTokens, before[^1].Tokens);
        long savedStep = before[^1].Step;

        // Resume: the settings come from run.json, the position from last.safetensors.
        var second = CliRunner.Run("train", "--resume", "--out", run, "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--length", "20");
        Assert.True(second.ExitCode == 0, second.Err + second.Out);
        Assert.Contains("Resuming gru-tiny", second.Out);
        Assert.Contains($"continuing after {savedTokens:N0} characters", second.Out.Replace('\u00a0', ' '));
        Assert.Contains($"Stopped: {epochs} epoch(s) done.", second.Out);

        var after = ReadCsv(Path.Combine(run, "loss.csv"));
        // The history before the interruption is kept as it was ...
        Assert.Equal(before.Select(r => r.Line), after.Take(before.Count).Select(r => r.Line));
        // ... and continues from the saved step: counters only grow, one step per window of 4 x 16 characters.
        var added = after.Skip(before.Count).ToList();
        Assert.NotEmpty(added);
        Assert.True(added[0].Step > savedStep && added[0].Tokens > savedTokens);
        for (int i = 1; i < after.Count; i++) Assert.True(after[i].Tokens > after[i - 1].Tokens, $"row {i + 1} of loss.csv goes back");
        Assert.All(after, r => Assert.Equal(r.Step * 64, r.Tokens));

        // Nothing lost or repeated: the two runs together trained exactly the epochs asked for.
        var ids = Vocabulary.Characters(File.ReadAllText(corpus)).Encode(File.ReadAllText(corpus));
        var (train, _) = CorpusLoader.Split(ids);
        long expected = new LanguageModelBatches(train, 4, 16).TokensPerEpoch * epochs;
        Assert.Equal(expected, after[^1].Tokens);
        Assert.Equal(expected, long.Parse(SafeTensors.Read(last).Metadata["rnngen.trainer.tokens"], CultureInfo.InvariantCulture));
    }
}
