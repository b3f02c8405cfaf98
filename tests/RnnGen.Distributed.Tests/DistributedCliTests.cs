using RnnGen.Checkpoints;

namespace RnnGen.Distributed.Tests;

/// <summary><c>mpirun -np 2 rnngen train --distributed</c> against the same command in one process.</summary>
public sealed class DistributedCliTests
{
    [Fact]
    public void The_same_command_with_and_without_distributed_trains_the_same_model()
    {
        using var folder = new TempFolder();
        string text = Path.Combine(folder, "corpus.txt");
        var random = new Random(4);
        string[] words = ["the", "cat", "sat", "on", "a", "mat", "and", "ran", "far", "away"];
        File.WriteAllText(text, string.Join(' ', Enumerable.Range(0, 6000).Select(_ => words[random.Next(words.Length)])));
        string single = Path.Combine(folder, "single"), distributed = Path.Combine(folder, "distributed");
        string[] command = ["train", "--text", text, "--model", "gru-tiny", "--epochs", "1", "--batch", "16", "--steps", "16", "--length", "0"];

        var output = new StringWriter();
        Assert.Equal(0, CharLm.Cli.Run([.. command, "--out", single], output, output));
        var (code, log) = MpiRun.Rnngen(2, [.. command, "--out", distributed, "--distributed"]);

        Assert.True(code == 0, log);
        Assert.Contains("data-parallel over 2 rank(s): each trains 8 of the 16 rows of a batch", log);
        Assert.Single(log.Split('\n'), l => l.StartsWith("Stopped:", StringComparison.Ordinal)); // rank 0 alone reports
        foreach (string file in new[] { "best.safetensors", "last.safetensors" })
        {
            var a = SafeTensors.Read(Path.Combine(single, file));
            var b = SafeTensors.Read(Path.Combine(distributed, file));
            Assert.Equal(a.Names.Order(), b.Names.Order());
            foreach (var name in a.Names)
            {
                float[] x = a[name].Data, y = b[name].Data;
                Assert.Equal(x.Length, y.Length);
                for (int i = 0; i < x.Length; i++)
                    Assert.True(Math.Abs(x[i] - y[i]) <= 1e-5f, $"{file} {name}[{i}]: {y[i]} with --distributed, {x[i]} without");
            }
        }
        // The curve's validation rows (its other rows come at time intervals): the same steps and losses.
        var (x1, y1) = Validations(single);
        var (x2, y2) = Validations(distributed);
        Assert.Equal(x1, x2);
        for (int i = 0; i < y1.Length; i++) Assert.True(Math.Abs(y1[i] - y2[i]) <= 2e-5, $"validation {i + 1}: {y2[i]} with --distributed, {y1[i]} without");
    }

    private static (long[] Steps, double[] Losses) Validations(string run)
    {
        var rows = File.ReadAllLines(Path.Combine(run, "loss.csv")).Skip(1).Select(l => l.Split(',')).Where(f => f[5].Length > 0).ToArray();
        Assert.NotEmpty(rows);
        return (rows.Select(f => long.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(f => double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    [Fact]
    public void SIGTERM_to_mpirun_stops_every_rank_after_the_same_step_and_the_run_resumes()
    {
        using var folder = new TempFolder();
        string text = Path.Combine(folder, "corpus.txt");
        var random = new Random(5);
        string[] words = ["the", "cat", "sat", "on", "a", "mat", "and", "ran", "far", "away"];
        File.WriteAllText(text, string.Join(' ', Enumerable.Range(0, 8000).Select(_ => words[random.Next(words.Length)])));
        string run = Path.Combine(folder, "run");

        // The first validation is the moment: SIGTERM then reaches both ranks in the middle of the run.
        var (code, log) = MpiRun.RnngenTerminated(2, "validation at step",
            "train", "--text", text, "--model", "gru-tiny", "--minutes", "3", "--batch", "16", "--steps", "16", "--out", run, "--distributed");

        Assert.NotEqual(0, code);
        Assert.Equal(2, log.Split('\n').Count(l => l.StartsWith("SIGTERM: stopping after this window", StringComparison.Ordinal))); // both ranks
        Assert.Contains("Interrupted after", log); // rank 0 saved and said so
        var checkpoint = TrainerCheckpoint.Read(SafeTensors.Read(Path.Combine(run, "last.safetensors")));
        Assert.True(checkpoint.Window > 0 || checkpoint.Epoch > 1);

        var output = new StringWriter();
        int resumed = CharLm.Cli.Run(["train", "--resume", "--out", run, "--epochs", "1", "--minutes", "0.05", "--length", "0"], output, output);
        Assert.True(resumed == 0, output.ToString());
        Assert.Contains("Resuming gru-tiny", output.ToString());
    }

    [Fact]
    public void Distributed_outside_mpirun_ends_with_a_message_each_time_never_an_internal_error()
    {
        // A world of one the first time; MPI cannot start again in the same process after it ended, which is said.
        using var folder = new TempFolder();
        string missing = Path.Combine(folder, "missing.txt");
        for (int run = 0; run < 2; run++)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = CharLm.Cli.Run(["train", "--distributed", "--text", missing, "--out", Path.Combine(folder, "run")], output, error);
            Assert.Equal(CharLm.ExitCodes.Input, code);
            Assert.StartsWith("error: ", error.ToString());
            Assert.DoesNotContain("internal error", error.ToString());
        }
    }

    [Fact]
    public void A_batch_smaller_than_the_ranks_is_refused_naming_the_option()
    {
        using var folder = new TempFolder();
        string text = Path.Combine(folder, "corpus.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 400)));
        var (code, log) = MpiRun.Rnngen(2, "train", "--text", text, "--model", "gru-tiny", "--batch", "1", "--out", Path.Combine(folder, "run"), "--distributed");
        Assert.Equal(2, code);
        Assert.Contains("--batch 1 is the global batch, split over the 2 ranks of --distributed", log);
        Assert.DoesNotContain("   at ", log); // no stack trace
    }
}
