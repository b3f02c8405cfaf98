namespace RnnGen.Modules;

/// <summary>One named tensor of a <see cref="ParameterStore{T}"/>: PyTorch's state_dict name, its shape, its place in the flat buffers and how it starts out.</summary>
public sealed record Slot(string Name, int[] Shape, int Offset, int Length, Init Init)
{
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
