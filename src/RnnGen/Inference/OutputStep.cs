namespace RnnGen.Inference;

/// <summary>
/// A session's output layer: the top layer's outputs [batch, inputs] to logits [batch, vocab]. The seam for the
/// output product, which at batch 1 reads the largest matrix of a word model (V x H): <see cref="LinearOutputStep"/>
/// multiplies by the trained float32 weights; a quantized one derives from this class.
/// </summary>
internal abstract class OutputStep(int inputs, int outputs, int batch) : IDisposable
{
    public int Inputs { get; } = inputs;
    public int Outputs { get; } = outputs;
    public int Batch { get; } = batch;

    /// <summary>Writes logits [batch, outputs] for x [batch, inputs].</summary>
    public abstract void Forward(ReadOnlySpan<float> x, Span<float> logits);

    /// <summary>Releases what the step holds beyond managed memory; nothing for the float32 product.</summary>
    public virtual void Dispose()
    {
    }
}
