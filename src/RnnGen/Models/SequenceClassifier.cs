using System.Numerics;

namespace RnnGen.Models;

/// <summary>
/// A sequence classifier: embedding, recurrent layers, pooling over each sequence's real positions, and a
/// linear output over the classes, trained with softmax cross-entropy. A <see cref="SequenceClassifierAttribute"/>
/// class derives from it; the generator writes its network (<see cref="CreateNetwork{T}"/>).
/// </summary>
public abstract partial class SequenceClassifier : TrainableModel
{
    private readonly SequenceClassifierNetwork<float> _network;
    private readonly int _seed;

    protected SequenceClassifier(int vocabSize, int seed)
    {
        _seed = seed;
        _network = CreateNetwork<float>(vocabSize, seed);
        var rnn = _network.Rnn;
        Attach(_network.Parameters, new ModelConfiguration(vocabSize, _network.Embedding.Width, LayerConfigurations.Of(rnn))
        {
            Kind = "sequence-classifier", Bidirectional = rnn.Bidirectional, Outputs = _network.Output.Outputs, Pooling = _network.Pool.Kind.ToString(),
        }, seed);
    }

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract SequenceClassifierNetwork<T> CreateNetwork<T>(int vocabSize, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    public int VocabSize => _network.VocabSize;
    public int Classes => _network.Output.Outputs;
    public SequenceClassifierNetwork<float> Network => _network;

    /// <summary>The same model in double precision with this model's current values: for gradient checks.</summary>
    public SequenceClassifierNetwork<double> ToDouble()
    {
        var network = CreateNetwork<double>(VocabSize, _seed);
        network.Parameters.CopyValuesFrom(_network.Parameters);
        return network;
    }

    /// <summary>The mean cross-entropy over the batch's rows, and its gradients (overwritten).</summary>
    public float ForwardBackward(SequenceBatch batch)
    {
        using var _ = Caller.Enter();
        return _network.Step(Check(batch), Pass.Gradients, Training);
    }

    /// <summary>The mean cross-entropy over the batch's rows, forward only.</summary>
    public float Loss(SequenceBatch batch)
    {
        using var _ = Caller.Enter();
        return _network.Step(Check(batch), Pass.Loss, Training);
    }

    /// <summary>The most likely class of each sequence.</summary>
    public int[] Predict(IReadOnlyList<int[]> sequences) =>
        PredictProbabilities(sequences).Select(p => Array.IndexOf(p, p.Max())).ToArray();

    /// <summary>The probability of every class for each sequence, [sequences][classes] (no dropout).</summary>
    public float[][] PredictProbabilities(IReadOnlyList<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        using var _ = Caller.Enter();
        var result = new float[sequences.Count][];
        foreach (var group in PredictionGroups(sequences, s => s?.Length ?? 0))
        {
            var batch = Check(new SequenceBatch(group.Select(i => sequences[i]).ToArray()));
            _network.Step(batch, Pass.Predict, training: false);
            var logits = _network.Logits;
            for (int r = 0; r < group.Length; r++)
                result[group[r]] = Probabilities.Softmax(logits.Slice(r * Classes, Classes));
        }
        return result;
    }

    private SequenceBatch Check(SequenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        BatchChecks.Tokens(batch, VocabSize);
        if (batch.Labels is { } labels)
            for (int b = 0; b < labels.Length; b++)
                if (labels[b] >= Classes) throw new ArgumentException($"Sequence {b} has label {labels[b]}, but the model has {Classes} classes (0..{Classes - 1}).", nameof(batch));
        return batch;
    }
}
