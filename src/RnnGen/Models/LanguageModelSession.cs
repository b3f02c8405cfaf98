using RnnGen.Inference;

namespace RnnGen.Models;

/// <summary>
/// Streaming inference over a trained <see cref="LanguageModel"/>: a fixed batch of rows, each its own sequence (a user,
/// a conversation), advanced one token at a time with <see cref="Step"/>, each row's state kept between calls, a
/// finished row restarted with <see cref="Reset(int)"/>. Dropout is off. Create one with <see cref="LanguageModel.CreateSession"/>.
/// </summary>
/// <remarks>
/// <para>Many sessions over one model may run at once, each on its own thread: a session owns its cells (a generated cell
/// keeps per-call scratch in its instance), its states and its buffers, and shares with the model only the trained
/// parameter values (read live or copied, below). One session serves one thread at a time; a second thread calling in while a step
/// is in progress gets an <see cref="InvalidOperationException"/>.</para>
/// <para>Two ways to run a step. A <see cref="Precision.Float32"/> session (the default) runs each layer's generated cell
/// and the output GEMM over the model's parameters, read live at every step, none copied: it gives the bits of the
/// model's own forward pass, costs little memory, and after <see cref="LanguageModel.Load"/> it runs on the loaded values,
/// so a step must not overlap training, an optimiser step or a load of the same model (it would read half-updated
/// weights). A <see cref="Precision.BFloat16"/> or <see cref="Precision.Int8"/> session, or a Float32 one created with
/// <c>fused: true</c>, copies the weights once, at creation, into its own layout (the embedding and biases as floats,
/// the matrices at its precision) and splits each layer's whole step over the cores: it never reads the model again, so
/// it may step while the model trains (create it while the model is quiet: creation reads the weights), and it keeps
/// the weights it was created with after a load. The copy costs the model's size again at fp32, a half of it at bf16
/// and a quarter at int8, per session. Its logits are not the
/// forward pass's bits (products sum in another order; bf16 and int8 round the weights): the README's "Inference
/// precision" gives the cost of each.</para>
/// <para>After the first step, a step allocates nothing.</para>
/// </remarks>
public sealed class LanguageModelSession : IDisposable
{
    private readonly float[] _embedding;
    private readonly int _embeddingOffset;
    private readonly int _width;
    private readonly SessionSteps _steps;
    private readonly float[] _input;
    private int _busy;
    private bool _disposed;

    internal LanguageModelSession(LanguageModelNetwork<float> weights, LanguageModelNetwork<float> cells, int batchSize, Precision precision, bool fused)
    {
        _steps = SessionSteps.Build(weights, cells, batchSize, precision, fused);
        // The exact path reads the table in the model's store (live); the others their own copy.
        _embedding = _steps.EmbeddingCopy ?? weights.Parameters.Values;
        _embeddingOffset = _steps.EmbeddingCopy is null ? weights.Embedding.Weight.Offset : 0;
        _width = weights.Embedding.Width;
        _input = new float[batchSize * _width];
        BatchSize = batchSize;
        VocabSize = weights.VocabSize;
        Precision = precision;
        Fused = _steps.EmbeddingCopy is not null;
    }

    /// <summary>The number of rows every <see cref="Step"/> advances.</summary>
    public int BatchSize { get; }
    /// <summary>The number of logits per row.</summary>
    public int VocabSize { get; }
    /// <summary>How the session stores the weights it multiplies by.</summary>
    public Precision Precision { get; }
    /// <summary>Whether each layer's step is split over the cores on weights the session copied (true), or runs the
    /// model's cells on its live parameters with the bits of its forward pass (false: the Float32 default).</summary>
    public bool Fused { get; }

    /// <summary>
    /// Feeds <paramref name="tokens"/>[r] to row r, for every row, and writes the logits of each row's next token to
    /// <paramref name="logits"/>, [batch, vocab] row-major: row r's are <c>logits.Slice(r * VocabSize, VocabSize)</c>,
    /// which a <see cref="Sampler"/> reads.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or a token id is outside the vocabulary (nothing is advanced then).</exception>
    public void Step(ReadOnlySpan<int> tokens, Span<float> logits)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int B = BatchSize, V = VocabSize, E = _width;
        if (tokens.Length != B)
            throw new ArgumentException($"tokens holds {tokens.Length} ids but the session has {B} rows: give one token per row.", nameof(tokens));
        if (logits.Length != B * V)
            throw new ArgumentException($"logits holds {logits.Length} values but the session writes {B * V} ([{B} rows, {V} tokens]).", nameof(logits));
        for (int r = 0; r < B; r++)
            if ((uint)tokens[r] >= (uint)V)
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[r], $"Row {r}: token id {tokens[r]} is outside the vocabulary (0..{V - 1}).");

        using (Enter())
        {
            // x[r] = embedding.weight[tokens[r]]                                  [B, E]
            for (int r = 0; r < B; r++)
                _embedding.AsSpan(_embeddingOffset + tokens[r] * E, E).CopyTo(_input.AsSpan(r * E, E));
            // h = layer_L(… layer_1(x)), each row's states advanced                 [B, H]
            ReadOnlySpan<float> x = _input;
            foreach (var layer in _steps.Layers)
                x = layer.Step(x);
            // logits = output.weight · h + output.bias                              [B, V]
            _steps.Output.Forward(x, logits);
        }
    }

    /// <summary>Zeroes the state of <paramref name="row"/>: its next token starts a new sequence; the other rows continue.</summary>
    public void Reset(int row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)row >= (uint)BatchSize)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The session has rows 0..{BatchSize - 1}.");
        using (Enter())
            foreach (var layer in _steps.Layers) layer.Reset(row);
    }

    /// <summary>Zeroes every row's state: every row starts a new sequence.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using (Enter())
            foreach (var layer in _steps.Layers) layer.Reset();
    }

    /// <summary>Ends the session; later calls throw <see cref="ObjectDisposedException"/>. The model is not affected.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var layer in _steps.Layers) layer.Dispose();
        _steps.Output.Dispose();
    }

    /// <summary>Claims the session for the calling thread until the claim is disposed; throws if another thread holds it.</summary>
    internal Claim Enter()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            throw new InvalidOperationException(
                "This LanguageModelSession is already running on another thread; a session serves one thread at a time — create one session per thread (they may share the model).");
        return new Claim(this);
    }

    /// <summary>One call's hold on the session (a struct: claiming allocates nothing).</summary>
    internal readonly struct Claim(LanguageModelSession session) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref session._busy, 0);
    }
}
