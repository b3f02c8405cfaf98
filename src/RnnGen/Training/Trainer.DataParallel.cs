using System.Runtime.ExceptionServices;
using RnnGen.Distributed;

namespace RnnGen.Training;

public sealed partial class Trainer
{
    // ---- Data-parallel training over the ranks of TrainingOptions.Communicator -------------------------
    // Every rank runs the same loop over the same global batches and trains its block of rows; the loss and the
    // gradients are summed so that every rank holds those of the global batch, and clipping and the optimiser step
    // then run identically everywhere: the parameters stay the same bits on every rank without being sent again.
    // Whatever only rank 0 knows (validation, a checkpoint's success) is broadcast, so no rank takes another branch.

    private readonly ICommunicator? _communicator;
    private GradientAllReduce? _allReduce;

    /// <summary>Whether this process validates, writes checkpoints and reports: a single process, or rank 0.</summary>
    private bool Leads => _communicator is null || _communicator.Rank == 0;

    /// <summary>What stops a run besides its token budget; data-parallel ranks agree on it through the all-reduce.</summary>
    private readonly record struct Stop(bool TimeUp, bool Cancelled);

    private static Stop StopAsked(TrainingOptions o, TimeSpan elapsed, CancellationToken cancellation) =>
        new(o.MaxDuration is { } maxDuration && elapsed >= maxDuration, cancellation.IsCancellationRequested);

    /// <summary>Rank 0's parameters on every rank (fresh or resumed), and a dropout stream of each rank's own.</summary>
    private void StartDataParallel()
    {
        if (_communicator is not { } c) return;
        foreach (var p in _model.Parameters) c.Broadcast(p.Value, root: 0);
        foreach (var dropout in DropoutCounters.Of(_model)) dropout.Salt = (ulong)c.Rank;
        _allReduce = new GradientAllReduce(c, _model.Parameters);
    }

    /// <summary>
    /// Forward and backward on this process's rows; data-parallel, the loss and gradients of the global batch: each
    /// rank's mean weighted by its terms (rows, tokens), so that the result is one process's over the whole batch.
    /// </summary>
    private (float Loss, Stop Stop) TrainStep(ITrainingTask task, Stop stop)
    {
        if (_communicator is null) return (task.Train(), stop);
        double weight = task.CurrentWeight;
        float loss = 0;
        if (weight > 0) loss = task.Train();
        else foreach (var p in _model.Parameters) p.Gradient.Clear(); // a small last batch left this rank no rows
        Span<double> sums = [weight > 0 ? loss * weight : 0, weight, stop.TimeUp ? 1 : 0, stop.Cancelled ? 1 : 0];
        _communicator.AllReduceSum(sums);
        _allReduce!.Reduce(weight / sums[1]);
        return ((float)(sums[0] / sums[1]), new Stop(sums[2] > 0, sums[3] > 0));
    }

    /// <summary>Rank 0's validation, on every rank.</summary>
    private Validation? ShareValidation(ITrainingTask task, Validation? mine)
    {
        Span<double> figures = [mine is null ? 0 : 1, mine?.Loss ?? 0, mine?.Metric ?? 0];
        _communicator!.Broadcast(figures, root: 0);
        return figures[0] == 0 ? null : new Validation((float)figures[1], task.MetricName, figures[2]);
    }

    /// <summary>
    /// A checkpoint: written by rank 0 alone (atomically), after every rank has sent its part of the task's state.
    /// When rank 0 fails to write it, every rank stops: rank 0 with the reason, the others saying so.
    /// </summary>
    private string Checkpoint(string path, Position position, ITrainingTask task, long step, int epoch, string? lastGood)
    {
        if (_communicator is not { } c) return WriteCheckpoint(path, position, task, step, epoch, lastGood);
        task.Gather();
        Exception? failure = null;
        if (Leads)
        {
            try
            {
                WriteCheckpoint(path, position, task, step, epoch, lastGood);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        Span<double> written = [failure is null ? 1 : 0];
        c.Broadcast(written, root: 0);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        if (written[0] == 0)
            throw new MpiException($"Rank {c.Rank} of {c.Size} stops: rank 0 could not write the checkpoint '{path}' (its own message says why).");
        return path;
    }
}
