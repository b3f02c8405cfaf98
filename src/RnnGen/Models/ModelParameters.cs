namespace RnnGen.Models;

/// <summary>The float views the optimisers and checkpoints work on, one per slot of a model's store.</summary>
internal static class ModelParameters
{
    public static Parameter[] Of(ParameterStore<float> store) =>
        store.Slots.Select(s => new Parameter(s.Name, s.Shape, store.Values, store.Gradients, s.Offset)).ToArray();
}
