namespace RnnGen.Models;

/// <summary>
/// How an inference session stores the weights it multiplies by. Training always uses <see cref="Float32"/>;
/// the others trade a little accuracy for reading fewer bytes per token (see README, "Inference precision").
/// </summary>
public enum Precision
{
    /// <summary>The trained 32-bit weights, unchanged.</summary>
    Float32,
    /// <summary>bfloat16 weights (the top 16 bits of a float, rounded to nearest even): half the bytes.</summary>
    BFloat16,
    /// <summary>8-bit integer weights with one float scale per output row: a quarter of the bytes.</summary>
    Int8,
}
