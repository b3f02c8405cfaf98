namespace RnnGen.Inference;

/// <summary>
/// The output layer through a <see cref="QuantizedMatrix"/>: logits[r] = output.bias + W · x[r], W stored once at the
/// session's precision and its rows split over the cores (<see cref="QuantizedMatrix.MultiplyParallel"/>, each core's
/// rows on the same worker at every token, so a word model's V x H weights stay spread over the cores' caches).
/// The weights and bias are copied at creation: the step does not read the model afterwards. The same bits on any
/// number of threads; not the bits of <see cref="LinearOutputStep"/> (another order of each sum).
/// </summary>
internal sealed class QuantizedOutputStep : OutputStep
{
    private readonly QuantizedMatrix _weights;
    private readonly float[]? _bias;

    public QuantizedOutputStep(Linear<float> linear, ParameterStore<float> store, int batch, Precision precision)
        : base(linear.Inputs, linear.Outputs, batch)
    {
        _weights = QuantizedMatrix.Create(store.Value(linear.Weight), linear.Outputs, linear.Inputs, precision);
        _bias = linear.Bias is { } bias ? store.Value(bias).ToArray() : null;
    }

    public override void Forward(ReadOnlySpan<float> x, Span<float> logits)
    {
        int V = Outputs;
        if (_bias is not null)
            for (int r = 0; r < Batch; r++) _bias.CopyTo(logits.Slice(r * V, V));
        _weights.MultiplyParallel(x, Batch, logits, accumulate: _bias is not null);
    }
}
