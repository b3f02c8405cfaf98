using System.Numerics;
using RnnGen.Modules;

namespace RnnGen.Models;

/// <summary>
/// The generated part of an attention encoder-decoder (Luong et al. 2015), in one element type: float to train,
/// double to check gradients against finite differences. A [Seq2Seq] class's nested <c>Network&lt;T&gt;</c>
/// builds the modules with its declared sizes and writes the training step.
/// </summary>
/// <remarks>
/// <para>Shapes time-major ([steps, batch, width]): source embedding → encoder stack (bidirectional when declared;
/// each row read to its length) → memory e [S, B, M]; the bridge turns a summary of each row (the top forward
/// output at its last real position, the backward one at position 0) into every decoder layer's initial state;
/// target embedding of &lt;bos&gt; + target → decoder stack → h [T, B, D]. No input feeding, so attention runs
/// for all target steps at once: scores, masked softmax, context c = Σ α e, a = tanh(W_c [c; h]), logits
/// W_o a + b_o, cross-entropy over the real target tokens.</para>
/// <para>Parameter names follow PyTorch, in this order: source_embedding.weight, target_embedding.weight,
/// encoder.{tensor}_l{k} (and _l{k}_reverse), decoder.{tensor}_l{k}, bridge.weight_l{k}, bridge.bias_l{k},
/// the attention's own, combine.weight [D, M + D], output.weight, output.bias. Not thread-safe.</para>
/// </remarks>
public abstract class Seq2SeqNetwork<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _memoryGradient = [];

    protected Seq2SeqNetwork(int sourceVocabSize, int targetVocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceVocabSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetVocabSize);
        SourceVocabSize = sourceVocabSize;
        TargetVocabSize = targetVocabSize;
    }

    public int SourceVocabSize { get; }
    public int TargetVocabSize { get; }
    public ParameterStore<T> Parameters { get; } = new();
    public abstract Embedding<T> SourceEmbedding { get; }
    public abstract Embedding<T> TargetEmbedding { get; }
    public abstract RecurrentStack<T> Encoder { get; }
    /// <summary>Each row's summary for the bridge: the top encoder output at its last real step (backward half: step 0).</summary>
    public abstract SequencePooling<T> Summary { get; }
    public abstract Bridge<T> Bridge { get; }
    public abstract RecurrentStack<T> Decoder { get; }
    public abstract IAttention<T> Attention { get; }
    public abstract AttentionContext<T> Context { get; }
    public abstract Concat<T> Join { get; }
    public abstract Linear<T> Combine { get; }
    public abstract Tanh<T> CombineTanh { get; }
    public abstract Linear<T> Output { get; }

    public bool Bidirectional => Encoder.Bidirectional;
    /// <summary>The flat parameter buffer, laid out as <see cref="Tensors"/> says.</summary>
    public T[] Values => Parameters.Values;
    /// <summary>The gradients of the last <see cref="Pass.Gradients"/> step, laid out as <see cref="Values"/>.</summary>
    public T[] Gradients => Parameters.Gradients;
    public IReadOnlyList<Slot> Tensors => Parameters.Slots;
    /// <summary>The logits of the last forward pass, [T·B, target vocabulary], time-major.</summary>
    public Span<T> Logits => Output.Result;

    /// <summary>Draws fresh parameters, each slot by its own rule.</summary>
    public void Initialize(Random random) => Parameters.Initialize(random);

    /// <summary>The mean cross-entropy over the batch's real target tokens, forward only.</summary>
    public T Loss(Seq2SeqBatch batch, bool training = false) => Step(batch, Pass.Loss, training);

    /// <summary>The mean cross-entropy and, in <see cref="Gradients"/>, its gradients (overwritten, not accumulated).</summary>
    public T ForwardBackward(Seq2SeqBatch batch, bool training = false) => Step(batch, Pass.Gradients, training);

    /// <summary>
    /// One step over a batch: the modules forward in order, then (for <see cref="Pass.Gradients"/>) backward in
    /// exact reverse order. Returns the mean cross-entropy (NaN for <see cref="Pass.Predict"/>; the logits are then
    /// in <see cref="Logits"/>). Dropout only when <paramref name="training"/>.
    /// </summary>
    public abstract T Step(Seq2SeqBatch batch, Pass pass, bool training);

    /// <summary>
    /// The gradient of the memory, zeroed: three modules read e (the context, the attention scores and the
    /// summary), so their gradients are summed into one buffer rather than each given its own.
    /// </summary>
    protected Span<T> ClearedMemoryGradient(int length)
    {
        var span = Modules.Buffer.Get(ref _memoryGradient, length);
        span.Clear();
        return span;
    }

    /// <summary><paramref name="into"/> += <paramref name="from"/>, element by element.</summary>
    protected static void Accumulate(Span<T> into, ReadOnlySpan<T> from)
    {
        for (int i = 0; i < into.Length; i++) into[i] += from[i];
    }

    /// <summary>The forward cell of each layer of <paramref name="stack"/>: the states the bridge initialises.</summary>
    protected static IEnumerable<IRecurrentCell> ForwardCells(RecurrentStack<T> stack) => stack.Layers.Select(l => l.Forward);

    /// <summary>Why a loss cannot be computed: the batch was built without targets.</summary>
    protected static ArgumentException NoTargets() =>
        new("The batch has no targets: a sequence-to-sequence model needs a target sentence per row for its loss; build the Seq2SeqBatch with targets, or use Pass.Predict.", "batch");
}
