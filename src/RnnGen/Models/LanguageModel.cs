namespace RnnGen.Models;

/// <summary>
/// An embedding, stacked recurrent layers and a linear output over the vocabulary, trained with softmax
/// cross-entropy. A <see cref="LanguageModelAttribute"/> class derives from it; the generator writes its
/// network (<see cref="CreateNetwork{T}"/>): the modules and the training step, sizes as constants.
/// </summary>
/// <remarks>
/// Parameters live in one flat buffer (and gradients in another) in PyTorch's state_dict order:
/// embedding.weight [V, E]; per layer k the cell's tensors as rnn.{name}_l{k}; output.weight [V, H];
/// output.bias [V]. Sequences run time-major inside. Not thread-safe: one model, one caller; a second caller
/// arriving while a call is in progress gets an <see cref="InvalidOperationException"/>.
/// </remarks>
public abstract partial class LanguageModel : ILanguageModel
{
    public const string VocabularyMetadataKey = "rnngen.vocabulary";

    private readonly LanguageModelNetwork<float> _network;
    private readonly Parameter[] _parameters;
    private readonly int _seed;
    /// <summary>Refuses a second caller while a call is in progress (see <see cref="SingleCaller"/>).</summary>
    internal SingleCaller Caller { get; }

    protected LanguageModel(int vocabSize, int seed)
    {
        _seed = seed;
        Caller = new SingleCaller(GetType().Name);
        _network = CreateNetwork<float>(vocabSize, seed);
        _parameters = ModelParameters.Of(_network.Parameters);
        var rnn = _network.Rnn;
        Configuration = new ModelConfiguration(vocabSize, _network.Embedding.Width,
            rnn.Layers.Select(l => new LayerConfiguration(l.CellName, l.Forward.HiddenSize, l.Dropout)).ToArray());
        Initialize(new Random(seed));
    }

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract LanguageModelNetwork<T> CreateNetwork<T>(int vocabSize, int seed) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;

    public int VocabSize => _network.VocabSize;
    public int EmbeddingSize => _network.Embedding.Width;
    public LanguageModelNetwork<float> Network => _network;
    public IReadOnlyList<Parameter> Parameters => _parameters;
    public ModelConfiguration Configuration { get; }
    public bool Training { get; set; } = true;
    /// <summary>The number of learned values.</summary>
    public int ParameterCount => _network.Parameters.Length;

    /// <summary>Draws fresh parameters as PyTorch does: embedding N(0, 1); recurrent layers and output uniform(±1/sqrt(fan)).</summary>
    public void Initialize(Random random) => _network.Parameters.Initialize(random);

    /// <summary>The same model in double precision, with this model's current values: for gradient checks.</summary>
    public LanguageModelNetwork<double> ToDouble()
    {
        var network = CreateNetwork<double>(VocabSize, _seed);
        network.Parameters.CopyValuesFrom(_network.Parameters);
        return network;
    }

    public RecurrentState CreateState(int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size of a state must be positive.");
        return new(batchSize, _network.Rnn.Layers.Select(l => l.Forward));
    }

    /// <summary>
    /// A streaming inference session over this model for <paramref name="batchSize"/> rows, each advanced one token per
    /// <see cref="LanguageModelSession.Step"/>, its state kept in between (see <see cref="LanguageModelSession"/>). Many
    /// sessions over one model may run on different threads at once; each owns its cells and buffers. A Float32 session
    /// reads this model's parameters live (none may run while the model trains or loads); a fused or bf16/int8 one copies
    /// the weights at creation and reads the model no more.
    /// </summary>
    /// <param name="batchSize">The number of rows (independent sequences) every step advances.</param>
    /// <param name="precision">How the session stores the weights it multiplies by: the trained fp32 values, bf16 (half the
    /// bytes) or int8 with a scale per row (a quarter); the README's "Inference precision" gives what each costs.</param>
    /// <param name="fused">Float32 only (bf16 and int8 always are): split each layer's whole step over the cores on a copy
    /// of the weights, faster at small batches but not the bits of the forward pass. A model with a layer that cannot be
    /// split by columns (a LayerNorm) then runs the exact path.</param>
    /// <exception cref="NotSupportedException">bf16 or int8 for a model with a layer that cannot be split by columns; the message names it.</exception>
    public LanguageModelSession CreateSession(int batchSize, Precision precision = Precision.Float32, bool fused = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A session needs at least one row.");
        // A second network built as this one was gives the session cells of its own; its store stays unallocated.
        var cells = CreateNetwork<float>(VocabSize, _seed);
        if (cells.Parameters.Length != _network.Parameters.Length)
            throw new InvalidOperationException($"{GetType().Name} built a network of {cells.Parameters.Length} parameters for a session, but the model holds {_network.Parameters.Length}.");
        return new LanguageModelSession(_network, cells, batchSize, precision, fused);
    }

    public float ForwardBackward(TokenBatch batch, RecurrentState? state = null) => Run(batch, state, Pass.Gradients);

    public float Loss(TokenBatch batch, RecurrentState? state = null) => Run(batch, state, Pass.Loss);

    /// <summary>The logits of every position, [batch, steps, vocab] (row-major, as the batch), forward only.</summary>
    public float[] Logits(TokenBatch batch, RecurrentState? state = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var _ = Caller.Enter();
        _network.Step(batch, state, Pass.Predict, Training);
        int B = batch.BatchSize, T = batch.Steps, V = VocabSize;
        var logits = _network.Logits;
        var result = new float[B * T * V];
        for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++)
                logits.Slice((t * B + b) * V, V).CopyTo(result.AsSpan((b * T + t) * V, V));
        return result;
    }

    private float Run(TokenBatch batch, RecurrentState? state, Pass pass)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var _ = Caller.Enter();
        return _network.Step(batch, state, pass, Training);
    }

    // ---- Checkpoints -------------------------------------------------------------------------------

    public void Save(string path, Vocabulary? vocab = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        ModelFile.Save(path, _parameters, Configuration, vocab is null ? null : new() { [VocabularyMetadataKey] = vocab.ToJson() }, metadata);

    public SafeTensorsFile Load(string path) => ModelFile.Load(path, _parameters, Configuration);

    public override string ToString() => Configuration.ToString();
}
