namespace RnnGen.Modules;

/// <summary>
/// One layer of a <see cref="RecurrentStack{T}"/>: the cell that reads forwards, the cell that reads backwards
/// in a bidirectional stack (same sizes, its own weights), and the dropout on the layer's outputs in training.
/// </summary>
public sealed record RecurrentLayer(IRecurrentCell Forward, IRecurrentCell? Backward = null, float Dropout = 0)
{
    /// <summary>The cell's type name, as checkpoints record it.</summary>
    public string CellName => Forward.GetType().Name;
}
