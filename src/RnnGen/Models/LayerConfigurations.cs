namespace RnnGen.Models;

/// <summary>The configuration of each layer of a stack, as checkpoints record it.</summary>
internal static class LayerConfigurations
{
    public static LayerConfiguration[] Of<T>(RecurrentStack<T> rnn) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        rnn.Layers.Select(l => new LayerConfiguration(l.CellName, l.Forward.HiddenSize, l.Dropout)).ToArray();
}
