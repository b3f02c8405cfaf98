using Microsoft.ML.OnnxRuntime;

namespace RnnGen.Benchmarks.Latency;

/// <summary>
/// (c) ONNX Runtime running the model's <see cref="LanguageModel.ExportOnnx"/> at batch 1, set up as a careful user
/// would: a given number of intra-op threads with spinning allowed, every optimisation, and IO binding over buffers
/// allocated once. The state is fed back without copies: two bindings, one reading buffer set A and writing set B and
/// the other the reverse, used in turn.
/// </summary>
public sealed class OnnxRuntimeEngine : ILatencyEngine
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private readonly List<OrtValue> _values = [];
    private readonly long[] _token = new long[1];
    private readonly float[] _logits;
    private readonly float[][][] _states; // [set A or B][state k] = [1, 1, hidden]
    private int _turn;

    public OnnxRuntimeEngine(string path, LanguageModel model, int threads)
    {
        Name = $"onnxruntime t{threads}";
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "1");
        _session = new InferenceSession(path, options);

        // One state_in_k / state_out_k per state of every layer, bottom first (h, then c for an LSTM), [1, batch, hidden].
        var hidden = model.Network.Rnn.Layers.SelectMany(l => Enumerable.Repeat(l.Forward.HiddenSize, l.Forward.StateCount)).ToArray();
        _states = [hidden.Select(h => new float[h]).ToArray(), hidden.Select(h => new float[h]).ToArray()];
        _logits = new float[model.VocabSize];
        var tokens = Value(OrtValue.CreateTensorValueFromMemory(_token, [1, 1]));
        var logits = Value(OrtValue.CreateTensorValueFromMemory(_logits, [1, 1, _logits.Length]));
        for (int b = 0; b < 2; b++)
        {
            var binding = _bindings[b] = _session.CreateIoBinding();
            binding.BindInput("tokens", tokens);
            binding.BindOutput("logits", logits);
            for (int k = 0; k < hidden.Length; k++)
            {
                binding.BindInput($"state_in_{k}", Value(OrtValue.CreateTensorValueFromMemory(_states[b][k], [1, 1, hidden[k]])));
                binding.BindOutput($"state_out_{k}", Value(OrtValue.CreateTensorValueFromMemory(_states[1 - b][k], [1, 1, hidden[k]])));
            }
        }
    }

    public string Name { get; }

    public void Reset()
    {
        foreach (var set in _states)
            foreach (var state in set) Array.Clear(state);
        _turn = 0;
    }

    public ReadOnlySpan<float> Step(int token)
    {
        _token[0] = token;
        _session.RunWithBinding(_run, _bindings[_turn]);
        _turn ^= 1;
        return _logits;
    }

    public void Dispose()
    {
        foreach (var b in _bindings) b?.Dispose();
        foreach (var v in _values) v.Dispose();
        _run.Dispose();
        _session.Dispose();
    }

    private OrtValue Value(OrtValue value)
    {
        _values.Add(value);
        return value;
    }
}
