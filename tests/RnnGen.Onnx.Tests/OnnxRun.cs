using Microsoft.ML.OnnxRuntime;

namespace RnnGen.Onnx.Tests;

/// <summary>One exported model loaded in ONNX Runtime, run on named float and int64 tensors.</summary>
internal sealed class OnnxRun : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRun(string path) => _session = new InferenceSession(path);

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;
    public IReadOnlyDictionary<string, NodeMetadata> Outputs => _session.OutputMetadata;

    /// <summary>Runs the model; every output by name, as a flat array (row-major) with its shape.</summary>
    public Dictionary<string, (float[] Values, long[] Shape)> Run(params (string Name, Array Values, long[] Shape)[] inputs)
    {
        var values = inputs.Select(i => i.Values switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(f, i.Shape),
            long[] l => OrtValue.CreateTensorValueFromMemory(l, i.Shape),
            _ => throw new ArgumentException($"Input {i.Name}: no ONNX tensor for {i.Values.GetType().Name}."),
        }).ToArray();
        try
        {
            var names = _session.OutputNames.ToArray();
            using var options = new RunOptions();
            using var results = _session.Run(options, inputs.Select(i => i.Name).ToArray(), values, names);
            var outputs = new Dictionary<string, (float[], long[])>();
            for (int o = 0; o < names.Length; o++)
            {
                var info = results[o].GetTensorTypeAndShape();
                outputs[names[o]] = (results[o].GetTensorDataAsSpan<float>().ToArray(), info.Shape);
            }
            return outputs;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>A temporary folder for exported models, deleted with the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rnngen-onnx-" + Guid.NewGuid().ToString("N")));
    public string Path { get; }
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class Close
{
    public const float Tolerance = 1e-4f;

    /// <summary>Asserts that every value is within <see cref="Tolerance"/>, naming the first that is not.</summary>
    public static void Within(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(float.IsFinite(actual[i]) && Math.Abs(expected[i] - actual[i]) <= Tolerance,
                $"{what}[{i}]: ONNX Runtime gives {actual[i]}, RnnGen {expected[i]} (tolerance {Tolerance}).");
    }
}
