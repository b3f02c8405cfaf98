namespace RnnGen.Models;

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
