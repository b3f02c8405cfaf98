namespace RnnGen.Inference;

/// <summary>
/// The output layer in float32: logits[r] = output.bias + output.weight · x[r], computed as <see cref="Linear{T}.Forward"/>
/// computes it (the bias copied in, the product added by one <see cref="Gemm"/> call), so a session gives the model's bits.
/// The weights are read from the model's store at every step.
/// </summary>
internal sealed class LinearOutputStep : OutputStep
{
    private readonly ParameterStore<float> _store;
    private readonly Slot _weight;
    private readonly Slot? _bias;

    public LinearOutputStep(Linear<float> linear, ParameterStore<float> store, int batch)
        : base(linear.Inputs, linear.Outputs, batch)
    {
        _store = store;
        _weight = linear.Weight;
        _bias = linear.Bias;
    }

    public override void Forward(ReadOnlySpan<float> x, Span<float> logits)
    {
        int V = Outputs, H = Inputs;
        if (_bias is { } bias)
        {
            var b = _store.Value(bias);
            for (int r = 0; r < Batch; r++) b.CopyTo(logits.Slice(r * V, V));
        }
        Gemm.Multiply(false, true, Batch, V, H, x, H, _store.Value(_weight), H, logits, V, accumulate: _bias is not null);
    }
}
