using System.Numerics;

namespace RnnGen.Models;

/// <summary>
/// The generated part of a language model, in one element type: its modules (embedding → recurrent stack →
/// linear output, softmax cross-entropy) and its training step. The generator writes one per
/// <see cref="LanguageModelAttribute"/> declaration, with every size the attributes fix as a constant.
/// </summary>
public abstract class LanguageModelNetwork<T>(int vocabSize) : TokenNetwork<T>(vocabSize) where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// One step over a batch of windows: forward from <paramref name="state"/> (zeros when null; advanced in place),
    /// then as far as <paramref name="pass"/> says. Returns the mean cross-entropy over every target (NaN for
    /// <see cref="Pass.Predict"/>); <see cref="Logits"/> holds the logits after a Predict or Loss pass.
    /// </summary>
    public abstract T Step(TokenBatch batch, RecurrentState<T>? state, Pass pass, bool training);

    /// <summary>The logits of the last forward pass, time-major [steps, batch, vocab].</summary>
    public Span<T> Logits => Output.Result;
}
