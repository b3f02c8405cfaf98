using RnnGen.Recurrence;

namespace RnnGen.Inference;

/// <summary>
/// What a session runs per token: one <see cref="LayerStep"/> per recurrent layer, bottom first, the
/// <see cref="OutputStep"/>, and the embedding table it reads (the model's live one, or a copy).
/// <see cref="Build"/> is the one place a <see cref="Precision"/> becomes code.
/// </summary>
internal sealed record SessionSteps(LayerStep[] Layers, OutputStep Output, float[]? EmbeddingCopy)
{
    /// <summary>
    /// The steps for <paramref name="batch"/> rows at <paramref name="precision"/>: <paramref name="weights"/> is the
    /// model's network, whose store holds the trained values; <paramref name="cells"/> is a second network built
    /// the same way, whose fresh cell instances (and nothing else: its store is never allocated) the session owns.
    /// </summary>
    /// <remarks>
    /// Float32 without <paramref name="fused"/>: each layer's generated cell and the output GEMM over the model's live
    /// parameters, the bits of the model's forward pass. Otherwise every layer is a <see cref="FusedLayerStep"/> and the
    /// output a <see cref="QuantizedOutputStep"/>, over weights copied now; a Float32 fused request on a model with a
    /// layer that cannot be split by columns (a LayerNorm, a product of a value computed in the step) falls back to the
    /// exact path for the whole session, while BFloat16 and Int8 refuse it, naming the layer and why.
    /// </remarks>
    public static SessionSteps Build(LanguageModelNetwork<float> weights, LanguageModelNetwork<float> cells, int batch, Precision precision, bool fused)
    {
        if (precision is not (Precision.Float32 or Precision.BFloat16 or Precision.Int8))
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Not a Precision: use Float32, BFloat16 or Int8.");
        var store = weights.Parameters;
        int count = cells.Rnn.Layers.Count;
        if (precision == Precision.Float32 && (!fused || FirstUnfit(cells) is not null))
        {
            var exact = new LayerStep[count];
            for (int k = 0; k < count; k++)
                exact[k] = new CellLayerStep(cells.Rnn.Layers[k].Forward, store, weights.Rnn.ForwardOffset(k), batch);
            return new(exact, new LinearOutputStep(weights.Output, store, batch), null);
        }
        if (FirstUnfit(cells) is { } unfit)
            throw new NotSupportedException(
                $"Sessions at Precision.{precision} split each layer's step over the cores by hidden columns, but layer {unfit.Layer} " +
                $"({unfit.Cell}) cannot be split so: {unfit.Why}. Create the session with Precision.Float32.");
        int threads = Parallelism.MaxThreads;
        var layers = new LayerStep[count];
        for (int k = 0; k < count; k++)
        {
            var cell = cells.Rnn.Layers[k].Forward;
            layers[k] = new FusedLayerStep((IPlannedCell)cell, store.Value(weights.Rnn.ForwardOffset(k), cell.ParameterCount), batch, precision, threads);
        }
        return new(layers, new QuantizedOutputStep(weights.Output, store, batch, precision), store.Value(weights.Embedding.Weight).ToArray());
    }

    /// <summary>The first layer whose step cannot be split by hidden columns, and why; null when every one can.</summary>
    private static (int Layer, string Cell, string Why)? FirstUnfit(LanguageModelNetwork<float> cells)
    {
        for (int k = 0; k < cells.Rnn.Layers.Count; k++)
        {
            var cell = cells.Rnn.Layers[k].Forward;
            if (cell is not IPlannedCell planned)
                return (k, cell.GetType().Name, "its cell is not run by the recurrence driver (it has no plan)");
            if (FusedColumns.WhyNot(planned.Plan) is { } why)
                return (k, planned.Plan.Cell, why);
        }
        return null;
    }
}
