namespace RnnGen.Models;

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
