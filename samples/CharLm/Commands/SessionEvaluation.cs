using RnnGen.Models;

namespace CharLm.Commands;

/// <summary>
/// The validation loss through an inference session at a chosen precision, over the very tokens
/// <see cref="RnnGen.Training.Trainer.Evaluate"/> scores: the text cut into <c>rows</c> contiguous rows, each read token
/// by token with its state carried, every target of the whole windows scored. So the fp32 session's loss is the forward
/// pass's up to rounding, and the bf16 and int8 losses say what those weights cost.
/// </summary>
public static class SessionEvaluation
{
    /// <summary>The mean cross-entropy (nats per token); NaN for a text too short to score.</summary>
    public static float Loss(LanguageModel model, ReadOnlySpan<int> tokens, int batchSize, int steps, Precision precision)
    {
        if (tokens.Length < 2) return float.NaN;
        // The rows and window length Trainer.Evaluate chooses, so both score the same targets.
        int rows = Math.Max(1, Math.Min(batchSize, (tokens.Length - 1) / steps));
        int length = Math.Max(1, Math.Min(steps, (tokens.Length - 1) / rows));
        int rowLength = (tokens.Length - 1) / rows;
        int scored = rowLength / length * length;
        if (scored == 0) return float.NaN;

        using var session = model.CreateSession(rows, precision);
        int V = model.VocabSize;
        var input = new int[rows];
        var logits = new float[rows * V];
        double total = 0;
        for (int t = 0; t < scored; t++)
        {
            for (int r = 0; r < rows; r++) input[r] = tokens[r * rowLength + t];
            session.Step(input, logits);
            for (int r = 0; r < rows; r++)
                total += CrossEntropy(logits.AsSpan(r * V, V), tokens[r * rowLength + t + 1]);
        }
        return (float)(total / ((long)rows * scored));
    }

    /// <summary>-log softmax(logits)[target], in double, the largest logit subtracted first.</summary>
    private static double CrossEntropy(ReadOnlySpan<float> logits, int target)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp(v - max);
        return Math.Log(sum) - (logits[target] - max);
    }
}
