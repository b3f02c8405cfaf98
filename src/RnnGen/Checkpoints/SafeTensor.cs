namespace RnnGen.Checkpoints;

/// <summary>
/// A named float tensor as stored in a safetensors file: <see cref="Data"/> holds the elements in row-major
/// order and its length is the product of <see cref="Shape"/> (1 for the empty shape of a scalar).
/// </summary>
public sealed record SafeTensor
{
    public SafeTensor(string name, int[] shape, float[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape {ShapeText(shape)}.", nameof(shape));
            count *= d;
            if (count > Array.MaxLength) throw new ArgumentException($"Tensor '{name}' of shape {ShapeText(shape)} is too large.", nameof(shape));
        }
        if (data.Length != count)
            throw new ArgumentException($"Tensor '{name}' of shape {ShapeText(shape)} needs {count} values but has {data.Length}.", nameof(data));
        Name = name;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }
    public int[] Shape { get; }
    public float[] Data { get; }

    /// <summary>A copy of a parameter's current values under its name and shape.</summary>
    public static SafeTensor FromParameter(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return new SafeTensor(parameter.Name, (int[])parameter.Shape.Clone(), parameter.Value.ToArray());
    }

    public void Deconstruct(out string name, out int[] shape, out float[] data) => (name, shape, data) = (Name, Shape, Data);

    public override string ToString() => $"{Name} {ShapeText(Shape)}";

    internal static string ShapeText(ReadOnlySpan<int> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
