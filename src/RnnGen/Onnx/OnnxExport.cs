namespace RnnGen.Onnx;

/// <summary>
/// The pieces every topology's export shares: the operator set, the dynamic axes, the embedding, the linear
/// output, and writing the file.
/// </summary>
internal static class OnnxExport
{
    /// <summary>Every export targets ONNX opset 17 (ONNX 1.12, 2022), which every current ONNX Runtime reads.</summary>
    public const int Opset = 17;
    /// <summary>The names of the dynamic axes (dim_param) on inputs and outputs.</summary>
    public const string Batch = "batch", Steps = "steps";

    /// <summary>
    /// Checks <paramref name="path"/> before any work: a clear message naming it when it is empty or its folder is missing.
    /// </summary>
    public static string CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write the ONNX model '{path}': the folder '{folder}' does not exist.");
        return path;
    }

    public static void Save(string path, byte[] model) => File.WriteAllBytes(path, model);

    /// <summary>The caller's metadata and the model's configuration (JSON, as checkpoints store it).</summary>
    public static Dictionary<string, string> Metadata(ModelConfiguration configuration, IReadOnlyDictionary<string, string>? metadata)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>()) all[key] = value;
        all[ModelConfiguration.MetadataKey] = configuration.ToJson();
        return all;
    }

    /// <summary>Token ids [batch, steps] (int64) -> embeddings time-major [steps, batch, width].</summary>
    public static string Embed(OnnxGraph g, Embedding<float> embedding, ParameterStore<float> store, string name, string tokens)
    {
        string table = g.Weight(name, [embedding.Vocab, embedding.Width], store.Value(embedding.Weight));
        string timeMajor = g.Op("Transpose", [tokens], Perm(1, 0));
        return g.Op("Gather", [table, timeMajor], new OnnxAttribute("axis", 0L));
    }

    /// <summary>y = x Wᵀ + b over the last axis of <paramref name="x"/> (any leading axes).</summary>
    public static string Linear(OnnxGraph g, Linear<float> linear, ParameterStore<float> store, string name, string x)
    {
        // Our weight is [outputs, inputs]; MatMul wants [inputs, outputs].
        var weight = store.Value(linear.Weight);
        var transposed = new float[weight.Length];
        for (int o = 0; o < linear.Outputs; o++)
            for (int i = 0; i < linear.Inputs; i++)
                transposed[i * linear.Outputs + o] = weight[o * linear.Inputs + i];
        string y = g.Op("MatMul", [x, g.Weight(name + ".weight", [linear.Inputs, linear.Outputs], transposed)]);
        return linear.Bias is { } bias ? g.Op("Add", [y, g.Weight(name + ".bias", [linear.Outputs], store.Value(bias))]) : y;
    }

    public static OnnxAttribute Perm(params long[] perm) => new("perm", perm);
}
