namespace RnnGen.Modules;

/// <summary>
/// How one tensor of a <see cref="ParameterStore{T}"/> starts out. Each slot carries its own rule, chosen
/// where the slot is declared (never by matching its name afterwards).
/// </summary>
public abstract record Init
{
    /// <summary>N(0, σ²), as nn.Embedding (σ = 1).</summary>
    public sealed record Normal(double StandardDeviation) : Init;

    /// <summary>uniform(−bound, bound), as nn.Linear and PyTorch's recurrent layers (bound = 1/√fan-in).</summary>
    public sealed record Uniform(double Bound) : Init;

    /// <summary>Every value the same (layer-norm gains one, biases zero).</summary>
    public sealed record Constant(double Value) : Init;

    /// <summary>One of a recurrent cell's tensors: the cell draws all of its tensors at once, its own way.</summary>
    public sealed record ByCell(IRecurrentCell Cell) : Init;
}
