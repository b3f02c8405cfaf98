namespace RnnGen.Training;

public sealed partial class Trainer
{
    // ---- Checkpoints with the trainer's state (schema: TrainerCheckpoint) ------------------------------

    /// <summary>
    /// Writes a checkpoint and returns its path; refuses (diverged) when a parameter is not finite. A failed write
    /// becomes a <see cref="CheckpointWriteException"/> naming the file and <paramref name="lastGood"/>, which the
    /// atomic write leaves intact.
    /// </summary>
    private string WriteCheckpoint(string path, Position position, ITrainingTask task, long step, int epoch, string? lastGood)
    {
        foreach (var p in _model.Parameters)
            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(p.Value))
                throw new TrainingDivergedException(step, epoch, float.NaN, lastGood,
                    $"parameter '{p.Name}' is no longer finite, so '{path}' was not written");
        var tensors = _model.Parameters.Select(SafeTensor.FromParameter).ToList();
        foreach (var (key, values) in _optimizer.ExportState())
            tensors.Add(new SafeTensor("optimizer." + key, [values.Length], values));
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ModelConfiguration.MetadataKey] = _model.Configuration.ToJson(),
        };
        new TrainerCheckpoint
        {
            Epoch = position.Epoch,
            Window = position.Window,
            Tokens = position.Tokens,
            Elapsed = position.Elapsed,
            BestLoss = position.Best,
            Best = position.BestResult,
            SinceBest = position.SinceBest,
            LearningRate = _optimizer.LearningRate,
            Plateau = _options.Plateau?.State,
            DropoutCalls = DropoutCounters.Calls(_model),
        }.WriteTo(metadata);
        task.Save(tensors, metadata);
        if (_options.Vocabulary is not null) metadata[LanguageModel.VocabularyMetadataKey] = _options.Vocabulary.ToJson();
        try
        {
            SafeTensors.Write(path, tensors, metadata);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointWriteException(path, lastGood, e);
        }
        return path;
    }

    private Position Resume(string path, ITrainingTask task)
    {
        var file = _model.Load(path);
        var c = TrainerCheckpoint.Read(file, path);
        var optimizerState = new Dictionary<string, float[]>();
        foreach (var name in file.Names.Where(n => n.StartsWith("optimizer.", StringComparison.Ordinal)))
            optimizerState[name["optimizer.".Length..]] = file[name].Data;
        try
        {
            _optimizer.ImportState(optimizerState);
            _optimizer.LearningRate = c.LearningRate;
            if (_options.Plateau is not null && c.Plateau is { } plateau) _options.Plateau.Restore(plateau);
            DropoutCounters.Restore(_model, c.DropoutCalls, path);
            task.Restore(file, path);
            return new Position(c.Epoch, c.Window, c.Tokens, c.Elapsed, c.BestLoss, c.SinceBest, c.Best);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
        {
            throw new CheckpointException(path, $"its trainer state is unreadable ({e.Message})", e);
        }
    }

    /// <summary>Where training stands: the next epoch (from 1) and window to run, and the best validation so far.</summary>
    private sealed record Position(int Epoch = 1, int Window = 0, long Tokens = 0, TimeSpan Elapsed = default,
        float Best = float.PositiveInfinity, int SinceBest = 0, EpochResult? BestResult = null);
}
