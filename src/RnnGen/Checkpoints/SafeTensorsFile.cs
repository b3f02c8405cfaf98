namespace RnnGen.Checkpoints;

/// <summary>The contents of a safetensors file, read whole and converted to float.</summary>
public sealed class SafeTensorsFile
{
    private readonly Dictionary<string, SafeTensor> _tensors;
    private readonly string[] _names;

    internal SafeTensorsFile(string path, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _names = tensors.Select(t => t.Name).ToArray();
        _tensors = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>The path the file was read from, as it was given.</summary>
    public string Path { get; }

    /// <summary>The <c>__metadata__</c> strings; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensor names in the order the header lists them.</summary>
    public IReadOnlyList<string> Names => _names;

    public int Count => _names.Length;

    public bool TryGet(string name, out SafeTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.TryGetValue(name, out tensor!);
    }

    /// <summary>The tensor called <paramref name="name"/>; a <see cref="CheckpointException"/> when there is none.</summary>
    public SafeTensor this[string name] =>
        TryGet(name, out SafeTensor tensor) ? tensor : throw new CheckpointException(Path, $"there is no tensor '{name}'");

    /// <summary>
    /// Copies the tensor of each parameter's name into its value. Every parameter must find a tensor of
    /// its exact shape; otherwise nothing is copied and one <see cref="CheckpointException"/> lists every
    /// missing and mis-shaped tensor. Tensors the parameters do not ask for (optimiser state, say) are ignored.
    /// </summary>
    public void LoadInto(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var missing = new List<string>();
        var misShaped = new List<string>();
        foreach (Parameter p in parameters)
        {
            if (!_tensors.TryGetValue(p.Name, out SafeTensor? tensor))
                missing.Add($"'{p.Name}'");
            else if (!tensor.Shape.AsSpan().SequenceEqual(p.Shape))
                misShaped.Add($"'{p.Name}' has shape {SafeTensor.ShapeText(tensor.Shape)} in the file but the model needs {SafeTensor.ShapeText(p.Shape)}");
        }
        if (missing.Count > 0 || misShaped.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add($"missing tensor{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}");
            problems.AddRange(misShaped);
            throw new CheckpointException(Path, $"cannot load {missing.Count + misShaped.Count} of {parameters.Count} parameters: {string.Join("; ", problems)}");
        }
        foreach (Parameter p in parameters)
            _tensors[p.Name].Data.CopyTo(p.Value);
    }
}
