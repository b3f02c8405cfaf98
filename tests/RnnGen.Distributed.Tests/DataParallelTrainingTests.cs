namespace RnnGen.Distributed.Tests;

/// <summary>
/// Two ranks of batch 16 against one process of batch 32, 50 steps: the same loss at every step and the same
/// parameters at the end (within 1e-5: the ranks sum their halves in another order than one process does), and the
/// two ranks' parameters the same bits, since both take the same step from the same summed gradient.
/// </summary>
public sealed class DataParallelTrainingTests
{
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData(Topology.LanguageModel, "lm")]
    [InlineData(Topology.Classifier, "classifier")] // uneven last batches: 17 rows split 8 and 9
    [InlineData(Topology.Tagger, "tagger")] // halves with different token counts, weighted by them
    public void Two_ranks_of_batch_16_train_what_one_process_of_batch_32_does(Topology topology, string name)
    {
        using var single = new TempFolder();
        using var distributed = new TempFolder();
        var expected = new Scenario(topology, Batch: 32).Run(single, communicator: null);
        Assert.Equal(Scenario.Steps, expected.Losses.Length);

        MpiRun.Succeeds(2, name, distributed, "32", "--distributed");
        var (losses, parameters) = MpiRun.Read(distributed, ranks: 2);

        Close(expected.Losses, losses, "loss of step");
        Close(expected.Parameters, parameters[0], "parameter");
        Assert.Equal(parameters[0], parameters[1]); // bit for bit on both ranks
        float first = expected.Losses[..10].Average(), last = expected.Losses[^10..].Average();
        Assert.True(last < first - 0.02f, $"the {name} did not learn: mean loss of the first 10 steps {first}, of the last 10 {last}");
    }

    [Fact]
    public void A_distributed_run_stopped_by_a_budget_resumes_to_the_parameters_of_an_uninterrupted_single_process()
    {
        using var single = new TempFolder();
        using var distributed = new TempFolder();
        var expected = new Scenario(Topology.LanguageModel, Batch: 32).Run(single, communicator: null);

        MpiRun.Succeeds(2, "lm", distributed, "32", "--distributed", "--max-steps", "25");
        var (first, _) = MpiRun.Read(distributed, ranks: 2);
        MpiRun.Succeeds(2, "lm", distributed, "32", "--distributed", "--resume");
        var (second, parameters) = MpiRun.Read(distributed, ranks: 2);

        Assert.Equal(25, first.Length);
        Close(expected.Losses, [.. first, .. second], "loss of step");
        Close(expected.Parameters, parameters[0], "parameter");
        Assert.Equal(parameters[0], parameters[1]);
    }

    [Fact]
    public void A_distributed_checkpoint_is_a_single_process_one()
    {
        // Its carried state holds every row (gathered from both ranks), so one process of batch 32 continues it.
        using var single = new TempFolder();
        using var distributed = new TempFolder();
        var expected = new Scenario(Topology.LanguageModel, Batch: 32).Run(single, communicator: null);

        MpiRun.Succeeds(2, "lm", distributed, "32", "--distributed", "--max-steps", "30");
        var resumed = new Scenario(Topology.LanguageModel, Batch: 32, Resume: true).Run(distributed, communicator: null);

        Close(expected.Losses[30..], resumed.Losses, "loss of resumed step");
        Close(expected.Parameters, resumed.Parameters, "parameter");
    }

    [Fact]
    public void A_rank_killed_mid_run_ends_the_other_with_a_clear_message_and_the_last_checkpoint_loads()
    {
        using var folder = new TempFolder();
        var (code, output) = MpiRun.Worker(2, "lm", folder, "32", "--distributed", "--kill-rank", "1", "--kill-step", "23");

        Assert.NotEqual(0, code);
        Assert.Contains("rank 1 kills itself at step 23", output);
        // The survivor says why it ends, and mpirun which rank died and how.
        Assert.Contains("rank 0 of 2: SIGTERM while waiting in MPI_Wait (the all-reduce of the gradients)", output);
        Assert.Contains("the last checkpoint on disk is complete", output);
        Assert.Matches("process rank 1 .* exited on signal 9", output);
        Assert.False(File.Exists(Path.Combine(folder, "losses.txt")), "the survivor finished training without its peer");

        // The last checkpoint is the one of step 20 (validations every 10 steps), whole: it loads and a run resumes from it.
        string last = Path.Combine(folder, "last.safetensors");
        var model = new TestLanguageModel(Scenario.Vocab, seed: 99);
        var file = model.Load(last);
        Assert.Equal("20", file.Metadata[TrainerCheckpoint.Prefix + "window"]);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        var resumed = new Scenario(Topology.LanguageModel, Batch: 32, Resume: true).Run(folder, communicator: null);
        Assert.Equal(Scenario.Steps - 20, resumed.Losses.Length);
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what} {i + 1}: {actual[i]} where one process has {expected[i]}");
    }
}
