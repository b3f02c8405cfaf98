using System.Numerics.Tensors;

namespace RnnGen.Training.Tasks;

/// <summary>
/// A sequence-to-sequence model on sentence pairs: batches built with the model's special ids; validation loss
/// per target token and "exact match", the fraction of validation pairs whose whole target (and &lt;eos&gt;) the
/// model predicts under teacher forcing.
/// </summary>
/// <remarks>
/// Teacher-forced exact match is greedy decoding's exact match without decoding: if every next token is the
/// argmax given the true prefix, greedy decoding follows that prefix and produces exactly the target; if one is
/// not, greedy decoding goes wrong there. So one batched forward pass gives what decoding sentence by sentence
/// would (up to float rounding between the batched and the step-by-step pass on near ties).
/// </remarks>
internal sealed class Seq2SeqTask(Seq2SeqModel model, SentencePairs train, SentencePairs? validation, TrainingOptions options)
    : SequenceTask<Seq2SeqBatch>(train, validation, options)
{
    protected override Seq2SeqBatch Batch(SequenceDataset<Seq2SeqBatch> data, IReadOnlyList<int> indices) =>
        ((SentencePairs)data).Batch(indices, model);

    public override int? Classes => model.TargetVocabSize;
    protected override float ForwardBackward(Seq2SeqBatch batch) => model.ForwardBackward(batch);
    protected override double LossWeight(Seq2SeqBatch batch) => batch.TargetTokenCount;
    public override string MetricName => "exact match";
    protected override double Metric(MetricSum sum, float meanLoss) => sum.Correct / (double)sum.Total;

    protected override float Evaluate(Seq2SeqBatch batch, ref MetricSum metric)
    {
        float loss = model.Loss(batch);
        var logits = model.Network.Logits;
        int B = batch.BatchSize, V = model.TargetVocabSize;
        for (int b = 0; b < B; b++)
        {
            bool all = true;
            for (int t = 0; t < batch.TargetSteps && all; t++)
            {
                int target = batch.DecoderTargets[t * B + b];
                if (target == Seq2SeqBatch.Ignore) break; // a row's padding comes after its <eos>
                all = TensorPrimitives.IndexOfMax(logits.Slice((t * B + b) * V, V)) == target;
            }
            if (all) metric.Correct++;
            metric.Total++;
        }
        return loss;
    }
}
