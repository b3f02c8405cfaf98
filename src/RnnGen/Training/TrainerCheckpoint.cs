using System.Globalization;

namespace RnnGen.Training;

/// <summary>
/// The trainer's state in a checkpoint's metadata, under <c>rnngen.trainer.</c>: where training stands (the next
/// epoch and window, tokens, time), the best validation so far and where it was reached, the learning rate, the
/// plateau schedule's state and the dropout streams' positions. The one place that reads and writes that schema;
/// the tensors (parameters, <c>optimizer.*</c>, a language model's <c>trainer.state_l*</c>) travel beside it.
/// </summary>
/// <remarks>
/// Checkpoints written before a key existed still read: the best validation's step, the plateau's state and the
/// dropout calls are then null.
/// </remarks>
public sealed record TrainerCheckpoint
{
    /// <summary>The prefix of every metadata key the trainer writes.</summary>
    public const string Prefix = "rnngen.trainer.";
    internal const string StateIsZeroKey = Prefix + "state_is_zero";

    /// <summary>The next epoch to run, from 1.</summary>
    public int Epoch { get; init; } = 1;
    /// <summary>The next window (batch) of that epoch to run, from 0.</summary>
    public int Window { get; init; }
    /// <summary>Training tokens (or steps) seen so far, over every session.</summary>
    public long Tokens { get; init; }
    /// <summary>Training time so far, over every session.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>The lowest validation loss so far (positive infinity before any validation).</summary>
    public float BestLoss { get; init; } = float.PositiveInfinity;
    /// <summary>The validation that reached <see cref="BestLoss"/>, when the checkpoint records it.</summary>
    public EpochResult? Best { get; init; }
    /// <summary>The optimiser step at which <see cref="BestLoss"/> was reached, when known.</summary>
    public long? BestStep => Best?.Step;
    /// <summary>Epochs ended without improvement (for early stopping).</summary>
    public int SinceBest { get; init; }
    /// <summary>The optimiser's learning rate when the checkpoint was written.</summary>
    public float LearningRate { get; init; }
    /// <summary>The state of <see cref="TrainingOptions.Plateau"/>, when one was in use.</summary>
    public PlateauState? Plateau { get; init; }
    /// <summary>Calls made so far by each dropout module of the model, in the model's order, when it has any.</summary>
    public IReadOnlyList<ulong>? DropoutCalls { get; init; }

    /// <summary>Reads the trainer's state from a checkpoint a trainer wrote.</summary>
    /// <exception cref="CheckpointException">The file has no trainer state, or it is unreadable.</exception>
    public static TrainerCheckpoint Read(SafeTensorsFile file) => Read(file, file.Path);

    /// <summary>Reads the trainer's state from <paramref name="file"/>, naming <paramref name="path"/> in errors.</summary>
    public static TrainerCheckpoint Read(SafeTensorsFile file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        var m = file.Metadata;
        string Need(string key) => m.TryGetValue(Prefix + key, out var v) ? v
            : throw new CheckpointException(path, $"it has no trainer state ('{Prefix}{key}'); it can be loaded into a model but not resumed");
        string? Maybe(string key) => m.TryGetValue(Prefix + key, out var v) ? v : null;
        try
        {
            var c = new TrainerCheckpoint
            {
                Epoch = int.Parse(Need("epoch"), CultureInfo.InvariantCulture),
                Window = int.Parse(Need("window"), CultureInfo.InvariantCulture),
                Tokens = long.Parse(Need("tokens"), CultureInfo.InvariantCulture),
                Elapsed = TimeSpan.FromSeconds(Real(Need("elapsed_seconds"))),
                BestLoss = (float)Real(Need("best_loss")),
                SinceBest = int.Parse(Need("since_best"), CultureInfo.InvariantCulture),
                LearningRate = (float)Real(Need("learning_rate")),
            };
            if (Maybe("best_step") is { } step)
            {
                c = c with
                {
                    Best = new EpochResult(int.Parse(Need("best_epoch"), CultureInfo.InvariantCulture), long.Parse(step, CultureInfo.InvariantCulture),
                        Real(Need("best_epoch_fraction")), (float)Real(Need("best_train_loss")), c.BestLoss,
                        long.Parse(Need("best_tokens"), CultureInfo.InvariantCulture), TimeSpan.FromSeconds(Real(Need("best_elapsed_seconds"))),
                        (float)Real(Need("best_learning_rate")))
                    {
                        MetricName = Need("best_metric_name"),
                        Metric = Real(Need("best_metric")),
                    },
                };
            }
            if (Maybe("plateau_learning_rate") is { } rate)
                c = c with
                {
                    Plateau = new PlateauState((float)Real(rate), (float)Real(Need("plateau_best_loss")),
                        int.Parse(Need("plateau_bad_reports"), CultureInfo.InvariantCulture)),
                };
            if (Maybe("dropout_calls") is { } calls)
                c = c with
                {
                    DropoutCalls = calls.Length == 0 ? [] : calls.Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
                };
            return c;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new CheckpointException(path, $"its trainer state is unreadable ({e.Message})", e);
        }
    }

    /// <summary>Writes this state into a checkpoint's metadata.</summary>
    internal void WriteTo(IDictionary<string, string> metadata)
    {
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        metadata[Prefix + "epoch"] = I(Epoch);
        metadata[Prefix + "window"] = I(Window);
        metadata[Prefix + "tokens"] = I(Tokens);
        metadata[Prefix + "elapsed_seconds"] = Number(Elapsed.TotalSeconds);
        metadata[Prefix + "best_loss"] = Number(BestLoss);
        metadata[Prefix + "since_best"] = I(SinceBest);
        metadata[Prefix + "learning_rate"] = Number(LearningRate);
        if (Best is { } b)
        {
            metadata[Prefix + "best_step"] = I(b.Step);
            metadata[Prefix + "best_epoch"] = I(b.Epoch);
            metadata[Prefix + "best_epoch_fraction"] = Number(b.EpochFraction);
            metadata[Prefix + "best_train_loss"] = Number(b.TrainLoss);
            metadata[Prefix + "best_tokens"] = I(b.Tokens);
            metadata[Prefix + "best_elapsed_seconds"] = Number(b.Elapsed.TotalSeconds);
            metadata[Prefix + "best_learning_rate"] = Number(b.LearningRate);
            metadata[Prefix + "best_metric_name"] = b.MetricName;
            metadata[Prefix + "best_metric"] = Number(b.Metric);
        }
        if (Plateau is { } p)
        {
            metadata[Prefix + "plateau_learning_rate"] = Number(p.LearningRate);
            metadata[Prefix + "plateau_best_loss"] = Number(p.BestLoss);
            metadata[Prefix + "plateau_bad_reports"] = I(p.BadReports);
        }
        if (DropoutCalls is { } calls)
            metadata[Prefix + "dropout_calls"] = string.Join(",", calls.Select(c => c.ToString(CultureInfo.InvariantCulture)));
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static double Real(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}

/// <summary>What a <see cref="ReduceOnPlateau"/> carries from one validation to the next.</summary>
public readonly record struct PlateauState(float LearningRate, float BestLoss, int BadReports);
