namespace RnnGen.Training.Tasks;

/// <summary>A language model on a token stream: windows with the state carried between them; validation loss and perplexity.</summary>
internal sealed class LanguageModelTask(ILanguageModel model, ReadOnlyMemory<int> train, ReadOnlyMemory<int> validation, TrainingOptions options) : ITrainingTask
{
    private readonly LanguageModelBatches _batches = new(train, options.BatchSize, options.Steps);
    private readonly RecurrentState _state = model.CreateState(options.BatchSize);
    private BatchWindow _current;

    public int BatchesPerEpoch => _batches.WindowsPerEpoch;
    public int? Classes => model.VocabSize;
    public long TokensPerEpoch => _batches.TokensPerEpoch;
    public long CurrentTokens => (long)options.BatchSize * options.Steps;

    public IEnumerable<int> Epoch(int epoch)
    {
        foreach (var w in _batches)
        {
            _current = w;
            yield return w.Index;
        }
    }

    public float Train()
    {
        if (!options.CarryState || !_current.ContinuesPrevious) _state.Reset();
        return model.ForwardBackward(_current.Batch, options.CarryState ? _state : null);
    }

    public Validation? Validate()
    {
        float loss = Trainer.Evaluate(model, validation, options.BatchSize, options.Steps);
        return float.IsNaN(loss) ? null : new Validation(loss, "perplexity", Math.Exp(loss));
    }

    public void Save(List<SafeTensor> tensors, Dictionary<string, string> metadata)
    {
        for (int k = 0; k < _state.Layers.Length; k++)
            tensors.Add(new SafeTensor($"trainer.state_l{k}", [_state.Layers[k].Length], (float[])_state.Layers[k].Clone()));
        metadata[TrainerCheckpoint.StateIsZeroKey] = _state.IsZero ? "true" : "false";
    }

    public void Restore(SafeTensorsFile file, string path)
    {
        for (int k = 0; k < _state.Layers.Length; k++)
        {
            var saved = file[$"trainer.state_l{k}"].Data;
            if (saved.Length != _state.Layers[k].Length)
                throw new CheckpointException(path, $"its carried state for layer {k} was saved with a different batch size");
            saved.CopyTo(_state.Layers[k], 0);
        }
        _state.IsZero = !file.Metadata.TryGetValue(TrainerCheckpoint.StateIsZeroKey, out var zero) || zero == "true";
    }
}
