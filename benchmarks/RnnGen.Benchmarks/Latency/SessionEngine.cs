namespace RnnGen.Benchmarks.Latency;

/// <summary>(b) A batch-1 <see cref="LanguageModelSession"/> at a chosen precision (fp32: the exact path, or fused on request).</summary>
public sealed class SessionEngine : ILatencyEngine
{
    private readonly LanguageModelSession _session;
    private readonly int[] _token = new int[1];
    private readonly float[] _logits;

    public SessionEngine(LanguageModel model, Precision precision, bool fused = false)
    {
        _session = model.CreateSession(1, precision, fused);
        _logits = new float[model.VocabSize];
        Name = $"session {Short(precision)}{(fused && precision == Precision.Float32 ? " fused" : "")}";
    }

    public string Name { get; }

    public void Reset() => _session.Reset();

    public ReadOnlySpan<float> Step(int token)
    {
        _token[0] = token;
        _session.Step(_token, _logits);
        return _logits;
    }

    public void Dispose() => _session.Dispose();

    public static string Short(Precision precision) => precision switch
    {
        Precision.Float32 => "fp32",
        Precision.BFloat16 => "bf16",
        Precision.Int8 => "int8",
        _ => precision.ToString(),
    };
}
