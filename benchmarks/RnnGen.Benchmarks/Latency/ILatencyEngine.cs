namespace RnnGen.Benchmarks.Latency;

/// <summary>One way of running a language model at batch 1, token by token: what the latency harness times.</summary>
public interface ILatencyEngine : IDisposable
{
    /// <summary>The engine and its setting, as the table prints it ("session fp32", "onnxruntime t2").</summary>
    string Name { get; }

    /// <summary>Starts a new sequence: the state back to zeros.</summary>
    void Reset();

    /// <summary>Feeds one token; returns the logits of the next [vocab], valid until the next call.</summary>
    ReadOnlySpan<float> Step(int token);
}
