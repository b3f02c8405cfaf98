namespace RnnGen.Models;

/// <summary>A recurrent layer of a language model: a cell sized for its input, and the dropout on its outputs.</summary>
public sealed record LayerDefinition(IRecurrentCell Cell, float Dropout = 0)
{
    /// <summary>The cell's type name, used in configurations and checkpoints.</summary>
    public string Name => Cell.GetType().Name;
}
