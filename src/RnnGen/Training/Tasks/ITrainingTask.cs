namespace RnnGen.Training.Tasks;

/// <summary>
/// What <see cref="Trainer"/> needs of one kind of data and model: the batches of an epoch, a training step on
/// the current one, a validation with the metric that fits the task, and any state a checkpoint must carry.
/// </summary>
internal interface ITrainingTask
{
    int BatchesPerEpoch { get; }
    /// <summary>How many classes the softmax of the loss spans (vocabulary, classes, tags), or null for a loss without one (regression).</summary>
    int? Classes { get; }
    /// <summary>Tokens (or steps) in one epoch, for the time-left estimate.</summary>
    long TokensPerEpoch { get; }
    /// <summary>Prepares each batch of the epoch in turn and yields its index; <see cref="Train"/> then runs on it.</summary>
    IEnumerable<int> Epoch(int epoch);
    /// <summary>Forward and backward on the current batch: the loss, with the gradients in the model.</summary>
    float Train();
    /// <summary>Tokens (or steps) in the current batch.</summary>
    long CurrentTokens { get; }
    /// <summary>The validation loss and metric, or null when there is nothing to validate on.</summary>
    Validation? Validate();
    /// <summary>Tensors and metadata a checkpoint needs to resume exactly (a language model's carried state).</summary>
    void Save(List<SafeTensor> tensors, Dictionary<string, string> metadata);
    void Restore(SafeTensorsFile file, string path);
}

/// <summary>A validation's figures: the mean loss and the task's metric (perplexity, accuracy, RMSE).</summary>
internal readonly record struct Validation(float Loss, string MetricName, double Metric);
