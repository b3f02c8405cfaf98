using RnnGen.Distributed;

namespace RnnGen.Training.Tasks;

/// <summary>
/// A language model on a token stream: windows with the state carried between them; validation loss and perplexity.
/// In data-parallel training each rank trains its block of the window's rows (<see cref="RowShare"/>) and carries
/// the state of those rows only; a checkpoint holds the state of every row, as a single process's would.
/// </summary>
internal sealed class LanguageModelTask : ITrainingTask
{
    private readonly ILanguageModel _model;
    private readonly ReadOnlyMemory<int> _validation;
    private readonly TrainingOptions _options;
    private readonly LanguageModelBatches _batches;
    private readonly RowShare _share;
    private readonly RecurrentState _state;
    private readonly TokenBatch? _rows; // this rank's rows, copied from the global window; null for a single process
    private float[][]? _gathered; // every row's state, assembled for a checkpoint
    private BatchWindow _current;

    public LanguageModelTask(ILanguageModel model, ReadOnlyMemory<int> train, ReadOnlyMemory<int> validation, TrainingOptions options)
    {
        _model = model;
        _validation = validation;
        _options = options;
        _batches = new LanguageModelBatches(train, options.BatchSize, options.Steps);
        _share = options.Communicator is { } c ? RowShare.Of(options.BatchSize, c.Rank, c.Size) : RowShare.All(options.BatchSize);
        _state = model.CreateState(_share.Count);
        if (options.Communicator is not null)
            _rows = new TokenBatch(new int[_share.Count * options.Steps], new int[_share.Count * options.Steps], _share.Count, options.Steps);
    }

    public int BatchesPerEpoch => _batches.WindowsPerEpoch;
    public int? Classes => _model.VocabSize;
    public long TokensPerEpoch => _batches.TokensPerEpoch;
    public long CurrentTokens => (long)_options.BatchSize * _options.Steps;
    public double CurrentWeight => (double)_share.Count * _options.Steps;
    public string MetricName => "perplexity";

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
        if (!_options.CarryState || !_current.ContinuesPrevious) _state.Reset();
        var batch = _current.Batch;
        if (_rows is not null)
        {
            // Rows are row-major [rows, steps]: this rank's block is one contiguous slice.
            int at = _share.Start * _options.Steps, length = _share.Count * _options.Steps;
            batch.Inputs.AsSpan(at, length).CopyTo(_rows.Inputs);
            batch.Targets.AsSpan(at, length).CopyTo(_rows.Targets);
            batch = _rows;
        }
        return _model.ForwardBackward(batch, _options.CarryState ? _state : null);
    }

    public Validation? Validate()
    {
        float loss = Trainer.Evaluate(_model, _validation, _options.BatchSize, _options.Steps);
        return float.IsNaN(loss) ? null : new Validation(loss, MetricName, Math.Exp(loss));
    }

    public void Gather()
    {
        if (_options.Communicator is not { } communicator) return;
        int rows = _options.BatchSize;
        _gathered ??= _state.Shapes.Select(s => new float[s.States * rows * s.Hidden]).ToArray();
        for (int k = 0; k < _gathered.Length; k++)
        {
            // Each rank writes its rows into zeros and the sum assembles them: one collective, no variable-size gather.
            var (states, hidden) = _state.Shapes[k];
            Array.Clear(_gathered[k]);
            for (int s = 0; s < states; s++)
                _state.Layers[k].AsSpan(s * _share.Count * hidden, _share.Count * hidden)
                    .CopyTo(_gathered[k].AsSpan((s * rows + _share.Start) * hidden));
            communicator.AllReduceSum(_gathered[k], [Range.All]);
        }
    }

    public void Save(List<SafeTensor> tensors, Dictionary<string, string> metadata)
    {
        var layers = _gathered ?? _state.Layers;
        for (int k = 0; k < layers.Length; k++)
            tensors.Add(new SafeTensor($"trainer.state_l{k}", [layers[k].Length], (float[])layers[k].Clone()));
        // Every rank resets its state at the same windows, so this rank's flag is every rank's.
        metadata[TrainerCheckpoint.StateIsZeroKey] = _state.IsZero ? "true" : "false";
    }

    public void Restore(SafeTensorsFile file, string path)
    {
        int rows = _options.BatchSize;
        for (int k = 0; k < _state.Layers.Length; k++)
        {
            var saved = file[$"trainer.state_l{k}"].Data;
            var (states, hidden) = _state.Shapes[k];
            if (saved.Length != states * rows * hidden)
                throw new CheckpointException(path, $"its carried state for layer {k} was saved with a different batch size");
            for (int s = 0; s < states; s++)
                saved.AsSpan((s * rows + _share.Start) * hidden, _share.Count * hidden)
                    .CopyTo(_state.Layers[k].AsSpan(s * _share.Count * hidden));
        }
        _state.IsZero = !file.Metadata.TryGetValue(TrainerCheckpoint.StateIsZeroKey, out var zero) || zero == "true";
    }
}
