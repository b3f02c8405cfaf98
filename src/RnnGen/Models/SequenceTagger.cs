using System.Numerics;

namespace RnnGen.Models;

/// <summary>
/// A sequence tagger: embedding, recurrent layers and a linear output over the tags at every position,
/// trained with softmax cross-entropy over the real tokens. A <see cref="SequenceTaggerAttribute"/> class
/// derives from it; the generator writes its network (<see cref="CreateNetwork{T}"/>).
/// </summary>
public abstract partial class SequenceTagger : TrainableModel
{
    private readonly SequenceTaggerNetwork<float> _network;
    private readonly int _seed;

    protected SequenceTagger(int vocabSize, int seed)
    {
        _seed = seed;
        _network = CreateNetwork<float>(vocabSize, seed);
        var rnn = _network.Rnn;
        Attach(_network.Parameters, new ModelConfiguration(vocabSize, _network.Embedding.Width, LayerConfigurations.Of(rnn))
        {
            Kind = "sequence-tagger", Bidirectional = rnn.Bidirectional, Outputs = _network.Output.Outputs,
        }, seed);
    }

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract SequenceTaggerNetwork<T> CreateNetwork<T>(int vocabSize, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    public int VocabSize => _network.VocabSize;
    public int Tags => _network.Output.Outputs;
    public SequenceTaggerNetwork<float> Network => _network;

    /// <summary>The same model in double precision with this model's current values: for gradient checks.</summary>
    public SequenceTaggerNetwork<double> ToDouble()
    {
        var network = CreateNetwork<double>(VocabSize, _seed);
        network.Parameters.CopyValuesFrom(_network.Parameters);
        return network;
    }

    /// <summary>The mean cross-entropy over the batch's real tokens, and its gradients (overwritten).</summary>
    public float ForwardBackward(SequenceBatch batch)
    {
        using var _ = Caller.Enter();
        return _network.Step(Check(batch), Pass.Gradients, Training);
    }

    /// <summary>The mean cross-entropy over the batch's real tokens, forward only.</summary>
    public float Loss(SequenceBatch batch)
    {
        using var _ = Caller.Enter();
        return _network.Step(Check(batch), Pass.Loss, Training);
    }

    /// <summary>The most likely tag of every token of each sequence.</summary>
    public int[][] Predict(IReadOnlyList<int[]> sequences) =>
        PredictProbabilities(sequences).Select(s => s.Select(p => Array.IndexOf(p, p.Max())).ToArray()).ToArray();

    /// <summary>The probability of every tag at every token, [sequences][tokens][tags] (no dropout).</summary>
    public float[][][] PredictProbabilities(IReadOnlyList<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        using var _ = Caller.Enter();
        var result = new float[sequences.Count][][];
        foreach (var group in PredictionGroups(sequences, s => s?.Length ?? 0))
        {
            var batch = Check(new SequenceBatch(group.Select(i => sequences[i]).ToArray()));
            _network.Step(batch, Pass.Predict, training: false);
            var logits = _network.Logits;
            int B = batch.Rows, K = Tags;
            for (int r = 0; r < B; r++)
            {
                var tokens = new float[batch.Lengths[r]][];
                for (int s = 0; s < tokens.Length; s++) tokens[s] = Probabilities.Softmax(logits.Slice((s * B + r) * K, K));
                result[group[r]] = tokens;
            }
        }
        return result;
    }

    private SequenceBatch Check(SequenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        BatchChecks.Tokens(batch, VocabSize);
        if (batch.Tags is { } tags)
            for (int i = 0; i < tags.Length; i++)
                if (tags[i] >= Tags)
                    throw new ArgumentException($"Sequence {i % batch.Rows} has tag {tags[i]} at position {i / batch.Rows}, but the model has {Tags} tags (0..{Tags - 1}).", nameof(batch));
        return batch;
    }
}
