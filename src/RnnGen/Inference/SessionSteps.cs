namespace RnnGen.Inference;

/// <summary>
/// What a session runs per token: one <see cref="LayerStep"/> per recurrent layer, bottom first, and the
/// <see cref="OutputStep"/>. <see cref="Build"/> is the one place a <see cref="Precision"/> becomes code.
/// </summary>
internal sealed record SessionSteps(LayerStep[] Layers, OutputStep Output)
{
    /// <summary>
    /// The steps for <paramref name="batch"/> rows at <paramref name="precision"/>: <paramref name="weights"/> is the
    /// model's network, whose store holds the trained values; <paramref name="cells"/> is a second network built
    /// the same way, whose fresh cell instances (and nothing else: its store is never allocated) the session owns.
    /// </summary>
    public static SessionSteps Build(LanguageModelNetwork<float> weights, LanguageModelNetwork<float> cells, int batch, Precision precision)
    {
        var store = weights.Parameters;
        switch (precision)
        {
            case Precision.Float32:
                var layers = new LayerStep[cells.Rnn.Layers.Count];
                for (int k = 0; k < layers.Length; k++)
                    layers[k] = new CellLayerStep(cells.Rnn.Layers[k].Forward, store, weights.Rnn.ForwardOffset(k), batch);
                return new(layers, new LinearOutputStep(weights.Output, store, batch));
            case Precision.BFloat16:
            case Precision.Int8:
                throw new NotSupportedException(
                    $"Sessions at Precision.{precision} are not available yet: only Precision.Float32 is implemented. Create the session with Precision.Float32.");
            default:
                throw new ArgumentOutOfRangeException(nameof(precision), precision, "Not a Precision: use Float32, BFloat16 or Int8.");
        }
    }
}
