namespace RnnGen.Models;

/// <summary>The configuration of each layer of a stack, as checkpoints record it.</summary>
internal static class LayerConfigurations
{
    public static LayerConfiguration[] Of<T>(RecurrentStack<T> rnn) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        rnn.Layers.Select(l => new LayerConfiguration(l.CellName, l.Forward.HiddenSize, l.Dropout)).ToArray();
}

/// <summary>Checks that say which sequence and which position is wrong, before any math runs.</summary>
internal static class BatchChecks
{
    public static void Tokens(SequenceBatch batch, int vocabSize)
    {
        for (int s = 0; s < batch.Steps; s++)
            for (int b = 0; b < batch.Rows; b++)
            {
                int id = batch.Tokens[s * batch.Rows + b];
                if (id >= vocabSize)
                    throw new ArgumentException($"Sequence {b} has token id {id} at position {s}, outside the model's vocabulary of {vocabSize}.", nameof(batch));
            }
    }
}

/// <summary>Probabilities from logits, in double so that they sum to one.</summary>
internal static class Probabilities
{
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        var p = new float[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) p[i] = (float)(Math.Exp(logits[i] - max) / sum);
        return p;
    }
}
