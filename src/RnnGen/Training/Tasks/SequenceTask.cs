using RnnGen.Distributed;

namespace RnnGen.Training.Tasks;

/// <summary>
/// Any model trained on a <see cref="SequenceDataset{TBatch}"/>: bucketed, shuffled batches per epoch (from the
/// options' seed), validation over every validation sequence, the metric from the topology. In data-parallel
/// training every rank draws the same global batches and trains its block of each (<see cref="RowShare"/>).
/// </summary>
internal abstract class SequenceTask<TBatch>(SequenceDataset<TBatch> train, SequenceDataset<TBatch>? validation, TrainingOptions options) : ITrainingTask
{
    private IReadOnlyList<int[]> _epoch = [];
    private TBatch _current = default!;

    public int BatchesPerEpoch => (train.Count + options.BatchSize - 1) / options.BatchSize;
    public long TokensPerEpoch { get; } = train.Steps(Enumerable.Range(0, train.Count).ToArray());
    public long CurrentTokens { get; private set; }
    public double CurrentWeight { get; private set; }
    public virtual int? Classes => null;

    public IEnumerable<int> Epoch(int epoch)
    {
        _epoch = train.Epoch(options.BatchSize, epoch, options.Seed);
        for (int i = 0; i < _epoch.Count; i++)
        {
            var all = _epoch[i];
            var share = options.Communicator is { } c ? RowShare.Of(all.Length, c.Rank, c.Size) : RowShare.All(all.Length);
            var mine = share.Count == all.Length ? all : all[share.Start..(share.Start + share.Count)];
            _current = mine.Length > 0 ? Batch(train, mine) : default!;
            CurrentWeight = mine.Length > 0 ? LossWeight(_current) : 0;
            CurrentTokens = train.Steps(all);
            yield return i;
        }
    }

    public float Train() => ForwardBackward(_current);

    public Validation? Validate()
    {
        if (validation is null || validation.Count == 0) return null;
        double loss = 0, weight = 0;
        var metric = new MetricSum();
        foreach (var indices in validation.Epoch(options.BatchSize, 0, 0, shuffle: false))
        {
            var batch = Batch(validation, indices);
            double w = LossWeight(batch);
            loss += Evaluate(batch, ref metric) * w;
            weight += w;
        }
        float mean = (float)(loss / weight);
        return new Validation(mean, MetricName, Metric(metric, mean));
    }

    public void Gather() { }
    public void Save(List<SafeTensor> tensors, Dictionary<string, string> metadata) { }
    public void Restore(SafeTensorsFile file, string path) { }

    /// <summary>The batch of <paramref name="indices"/>: the data set's own, unless the model must shape it (special ids).</summary>
    protected virtual TBatch Batch(SequenceDataset<TBatch> data, IReadOnlyList<int> indices) => data.Batch(indices);
    protected abstract float ForwardBackward(TBatch batch);
    /// <summary>The mean loss of the batch (forward only, no dropout), adding to the metric's sums.</summary>
    protected abstract float Evaluate(TBatch batch, ref MetricSum metric);
    /// <summary>How many terms the batch's mean loss averages, so that batches add up to the mean over the set.</summary>
    protected abstract double LossWeight(TBatch batch);
    public abstract string MetricName { get; }
    protected abstract double Metric(MetricSum sum, float meanLoss);
}

/// <summary>Counts for a metric over a whole validation set.</summary>
internal struct MetricSum
{
    public long Correct, Total;
}
