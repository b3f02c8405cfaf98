namespace RnnGen.Training.Tasks;

/// <summary>A classifier: validation accuracy over the sequences.</summary>
internal sealed class ClassifierTask(SequenceClassifier model, LabeledSequences train, LabeledSequences? validation, TrainingOptions options)
    : SequenceTask<SequenceBatch>(train, validation, options)
{
    public override int? Classes => model.Classes;
    protected override float ForwardBackward(SequenceBatch batch) => model.ForwardBackward(batch);
    protected override double LossWeight(SequenceBatch batch) => batch.Rows;
    public override string MetricName => "accuracy";
    protected override double Metric(MetricSum sum, float meanLoss) => sum.Correct / (double)sum.Total;

    protected override float Evaluate(SequenceBatch batch, ref MetricSum metric)
    {
        float loss = model.Loss(batch);
        var logits = model.Network.Logits;
        int C = model.Classes;
        for (int b = 0; b < batch.Rows; b++)
        {
            var row = logits.Slice(b * C, C);
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row) == batch.Labels![b]) metric.Correct++;
            metric.Total++;
        }
        return loss;
    }
}

/// <summary>A tagger: validation accuracy over the real tokens.</summary>
internal sealed class TaggerTask(SequenceTagger model, TaggedSequences train, TaggedSequences? validation, TrainingOptions options)
    : SequenceTask<SequenceBatch>(train, validation, options)
{
    public override int? Classes => model.Tags;
    protected override float ForwardBackward(SequenceBatch batch) => model.ForwardBackward(batch);
    protected override double LossWeight(SequenceBatch batch) => batch.TokenCount;
    public override string MetricName => "accuracy";
    protected override double Metric(MetricSum sum, float meanLoss) => sum.Correct / (double)sum.Total;

    protected override float Evaluate(SequenceBatch batch, ref MetricSum metric)
    {
        float loss = model.Loss(batch);
        var logits = model.Network.Logits;
        int K = model.Tags;
        for (int i = 0; i < batch.Tags!.Length; i++)
        {
            if (batch.Tags[i] == SequenceBatch.Padding) continue;
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Slice(i * K, K)) == batch.Tags[i]) metric.Correct++;
            metric.Total++;
        }
        return loss;
    }
}

/// <summary>A regressor: validation RMSE, the square root of the mean squared error over every real step and output.</summary>
internal sealed class RegressorTask(SequenceRegressor model, RegressionSequences train, RegressionSequences? validation, TrainingOptions options)
    : SequenceTask<RegressionBatch>(train, validation, options)
{
    protected override float ForwardBackward(RegressionBatch batch) => model.ForwardBackward(batch);
    protected override double LossWeight(RegressionBatch batch) => batch.StepCount;
    public override string MetricName => "rmse";
    protected override double Metric(MetricSum sum, float meanLoss) => Math.Sqrt(meanLoss);
    protected override float Evaluate(RegressionBatch batch, ref MetricSum metric) => model.Loss(batch);
}
