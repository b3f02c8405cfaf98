using System.Numerics;
using RnnGen.Modules;

namespace RnnGen.Models;

/// <summary>
/// An attention encoder-decoder (Luong et al. 2015) as a composition of modules, in one element type: float to
/// train, double to check gradients against finite differences.
/// </summary>
/// <remarks>
/// <para>Shapes time-major ([steps, batch, width]): source embedding → encoder stack (bidirectional when declared;
/// each row read to its length) → memory e [S, B, M]; the bridge turns a summary of each row (the top forward
/// output at its last real position, the backward one at position 0: <see cref="SequencePooling{T}"/>'s Last) into
/// every decoder layer's initial state; target embedding of &lt;bos&gt; + target → decoder stack → h [T, B, D]. No
/// input feeding, so attention runs for all target steps at once: scores, masked softmax, context c = Σ α e,
/// a = tanh(W_c [c; h]), logits W_o a + b_o, cross-entropy over the real target tokens.</para>
/// <para>Parameter names follow PyTorch, in this order: source_embedding.weight, target_embedding.weight,
/// encoder.{tensor}_l{k} (and _l{k}_reverse), decoder.{tensor}_l{k}, bridge.weight_l{k}, bridge.bias_l{k},
/// the attention's own, combine.weight [D, M + D], output.weight, output.bias. Not thread-safe.</para>
/// </remarks>
public sealed class Seq2SeqNetwork<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _memoryGradient = [];

    public Seq2SeqNetwork(int sourceVocabSize, int targetVocabSize, Seq2SeqDefinition definition, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceVocabSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetVocabSize);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(definition.SourceEmbedding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(definition.TargetEmbedding);
        if (definition.Encoder.Count == 0) throw new ArgumentException("A sequence-to-sequence model needs at least one encoder layer.", nameof(definition));
        if (definition.Decoder.Count == 0) throw new ArgumentException("A sequence-to-sequence model needs at least one decoder layer.", nameof(definition));
        if (definition.DecoderDropout is { } dropout && dropout.Count != definition.Decoder.Count)
            throw new ArgumentException($"{dropout.Count} decoder dropouts for {definition.Decoder.Count} decoder layers.", nameof(definition));
        Definition = definition;
        var p = Parameters;
        SourceEmbedding = new Embedding<T>(p, "source_embedding", sourceVocabSize, definition.SourceEmbedding);
        TargetEmbedding = new Embedding<T>(p, "target_embedding", targetVocabSize, definition.TargetEmbedding);
        var encoder = definition.Encoder.Select(l => new RecurrentLayer(l.Forward(), l.Backward?.Invoke(), l.Dropout)).ToArray();
        Encoder = Wrap(() => new RecurrentStack<T>(p, "encoder", definition.SourceEmbedding, encoder, seed));
        var decoder = definition.Decoder.Select((f, k) => new RecurrentLayer(f(), null, definition.DecoderDropout?[k] ?? 0)).ToArray();
        // Its own mask stream: the encoder's layer k and the decoder's must not drop the same units.
        Decoder = Wrap(() => new RecurrentStack<T>(p, "decoder", definition.TargetEmbedding, decoder, unchecked(seed * 31 + 7)));
        int M = MemorySize, D = DecoderSize;
        Summary = new SequencePooling<T>(Pooling.Last, M, Encoder.Directions);
        Bridge = new Bridge<T>(p, M, decoder.Select(l => l.Forward));
        Attention = Wrap(() => Modules.Attention.Create(definition.Attention, p, D, M));
        Context = new AttentionContext<T>(M);
        Join = new Concat<T>(M, D);
        Combine = new Linear<T>(p, "combine.weight", null, M + D, D);
        Output = new Linear<T>(p, "output", D, targetVocabSize);
    }

    /// <summary>Module constructors say what is wrong with the definition; the caller passed the definition.</summary>
    private static TModule Wrap<TModule>(Func<TModule> create)
    {
        try { return create(); }
        catch (ArgumentException e) when (e.ParamName != "definition") { throw new ArgumentException(e.Message, "definition", e); }
    }

    public Seq2SeqDefinition Definition { get; }
    public ParameterStore<T> Parameters { get; } = new();
    public Embedding<T> SourceEmbedding { get; }
    public Embedding<T> TargetEmbedding { get; }
    public RecurrentStack<T> Encoder { get; }
    public SequencePooling<T> Summary { get; }
    public Bridge<T> Bridge { get; }
    public RecurrentStack<T> Decoder { get; }
    public IAttention<T> Attention { get; }
    public AttentionContext<T> Context { get; }
    public Concat<T> Join { get; }
    public Linear<T> Combine { get; }
    public Tanh<T> CombineTanh { get; } = new();
    public Linear<T> Output { get; }
    public SoftmaxCrossEntropy<T> CrossEntropy { get; } = new();

    public int SourceVocabSize => SourceEmbedding.Vocab;
    public int TargetVocabSize => TargetEmbedding.Vocab;
    public bool Bidirectional => Encoder.Bidirectional;
    /// <summary>M: the width of the encoder's outputs (the attention memory).</summary>
    public int MemorySize => Encoder.OutputSize;
    /// <summary>D: the top decoder layer's hidden size.</summary>
    public int DecoderSize => Decoder.OutputSize;
    /// <summary>The flat parameter buffer, laid out as <see cref="Tensors"/> says.</summary>
    public T[] Values => Parameters.Values;
    /// <summary>The gradients of the last <see cref="Pass.Gradients"/> step, laid out as <see cref="Values"/>.</summary>
    public T[] Gradients => Parameters.Gradients;
    public IReadOnlyList<Slot> Tensors => Parameters.Slots;

    /// <summary>Draws fresh parameters, each slot by its own rule.</summary>
    public void Initialize(Random random) => Parameters.Initialize(random);

    /// <summary>The mean cross-entropy over the batch's real target tokens, forward only.</summary>
    public T Loss(Seq2SeqBatch batch, bool training = false) => Step(batch, Pass.Loss, training);

    /// <summary>The mean cross-entropy and, in <see cref="Gradients"/>, its gradients (overwritten, not accumulated).</summary>
    public T ForwardBackward(Seq2SeqBatch batch, bool training = false) => Step(batch, Pass.Gradients, training);

    /// <summary>
    /// One step over a batch: the modules forward in order, then (for <see cref="Pass.Gradients"/>) backward in
    /// exact reverse order. Returns the mean cross-entropy (NaN for <see cref="Pass.Predict"/>; the logits are then
    /// in <see cref="Output"/>'s result, [T·B, V]). Dropout only when <paramref name="training"/>.
    /// </summary>
    public T Step(Seq2SeqBatch batch, Pass pass, bool training)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (pass != Pass.Predict && batch.TargetTokenCount == 0) throw new ArgumentException("The batch has no targets.", nameof(batch));
        int B = batch.BatchSize, S = batch.SourceSteps, Tn = batch.TargetSteps, rows = Tn * B;
        ReadOnlySpan<int> lengths = batch.SourceLengths;

        var xs = SourceEmbedding.Forward(batch.SourceIds);                                  // [S, B, Es]
        var memory = Encoder.Forward(xs, S, B, lengths, training: training);                // [S, B, M]
        var summary = Summary.Forward(memory, S, B, lengths);                               // [B, M]
        var initial = Bridge.Forward(summary, B);                                           // per layer [states, B, H_k]
        var xt = TargetEmbedding.Forward(batch.DecoderInputs);                              // [T, B, Et]
        var h = Decoder.Forward(xt, Tn, B, initial: initial, training: training);           // [T, B, D]
        var scores = Attention.Forward(h, memory, Tn, S, B);                                // [B, T, S]
        var context = Context.Forward(scores, memory, Tn, S, B, lengths);                   // [T, B, M]
        var z = Join.Forward(context, h, rows);                                             // [T·B, M + D]
        var a = CombineTanh.Forward(Combine.Forward(z, rows));                              // [T·B, D]
        var logits = Output.Forward(a, rows);                                               // [T·B, V]
        if (pass == Pass.Predict) return T.NaN;
        T loss = CrossEntropy.Forward(logits, TargetVocabSize, batch.DecoderTargets, keepGradient: pass == Pass.Gradients);
        if (pass != Pass.Gradients) return loss;

        Parameters.ZeroGradients();
        var dLogits = CrossEntropy.Backward(logits);                                        // [T·B, V]
        var dA = Output.Backward(a, dLogits, rows);                                         // [T·B, D]
        var dZ = Combine.Backward(z, CombineTanh.Backward(a, dA), rows);                    // [T·B, M + D]
        Join.Backward(dZ, rows, out var dContext, out var dH);                              // [T, B, M], [T, B, D]
        var dMemory = Modules.Buffer.Get(ref _memoryGradient, S * B * MemorySize);                 // [S, B, M], summed over its three readers
        dMemory.Clear();
        var dScores = Context.Backward(dContext, memory, dMemory);                          // [B, T, S]
        Attention.Backward(h, memory, dScores, dH, dMemory);
        var dXt = Decoder.Backward(xt, dH, initialGradients: true);                         // [T, B, Et]
        TargetEmbedding.Backward(batch.DecoderInputs, dXt);
        var dSummary = Bridge.Backward(summary, Decoder);                                   // [B, M]
        var dPooled = Summary.Backward(dSummary);                                           // [S, B, M]
        for (int i = 0; i < dMemory.Length; i++) dMemory[i] += dPooled[i];
        var dXs = Encoder.Backward(xs, dMemory);                                            // [S, B, Es]
        SourceEmbedding.Backward(batch.SourceIds, dXs);
        return loss;
    }
}
