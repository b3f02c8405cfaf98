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
    /// <summary>
    /// Forward and backward on this process's rows of the current batch (all of them, but for data-parallel training):
    /// their mean loss, with its gradients in the model. Not called when <see cref="CurrentWeight"/> is 0.
    /// </summary>
    float Train();
    /// <summary>Tokens (or steps) in the current batch, over every rank.</summary>
    long CurrentTokens { get; }
    /// <summary>
    /// How many terms the mean loss of this process's rows averages (rows, tokens or steps; 0 when a small last batch
    /// leaves this rank none): data-parallel training weighs each rank's mean by it.
    /// </summary>
    double CurrentWeight { get; }
    /// <summary>The name of the metric <see cref="Validate"/> reports.</summary>
    string MetricName { get; }
    /// <summary>The validation loss and metric, or null when there is nothing to validate on.</summary>
    Validation? Validate();
    /// <summary>
    /// Before a checkpoint, on every rank: brings together what <see cref="Save"/> writes (a language model's carried
    /// state lives split over the ranks), so that the checkpoint is the one a single process would write.
    /// </summary>
    void Gather();
    /// <summary>Tensors and metadata a checkpoint needs to resume exactly (a language model's carried state).</summary>
    void Save(List<SafeTensor> tensors, Dictionary<string, string> metadata);
    /// <summary>Takes this process's part of what <see cref="Save"/> wrote.</summary>
    void Restore(SafeTensorsFile file, string path);
}

/// <summary>A validation's figures: the mean loss and the task's metric (perplexity, accuracy, RMSE).</summary>
internal readonly record struct Validation(float Loss, string MetricName, double Metric);
