namespace RnnGen.Training;

/// <summary>
/// One learned tensor of a model: a named view into the model's flat value and gradient buffers.
/// Names and shapes follow PyTorch's <c>state_dict</c>; values are row-major.
/// </summary>
public sealed class Parameter
{
    private readonly float[] _values;
    private readonly float[] _gradients;

    public Parameter(string name, int[] shape, float[] values, float[] gradients, int offset)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        int length = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d, nameof(shape));
            length = checked(length * d);
        }
        if (offset < 0 || offset + length > values.Length || values.Length != gradients.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Parameter '{name}' does not fit in its buffers.");
        Name = name;
        Shape = shape;
        Offset = offset;
        Length = length;
        _values = values;
        _gradients = gradients;
    }

    public string Name { get; }
    public int[] Shape { get; }
    /// <summary>Where the tensor starts in the model's flat buffers.</summary>
    public int Offset { get; }
    public int Length { get; }
    public Span<float> Value => _values.AsSpan(Offset, Length);
    public Span<float> Gradient => _gradients.AsSpan(Offset, Length);
    /// <summary>The whole flat gradient buffer this view is part of (the all-reduce of data-parallel training sends it in buckets).</summary>
    internal float[] GradientBuffer => _gradients;

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
