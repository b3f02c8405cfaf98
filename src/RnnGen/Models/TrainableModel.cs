namespace RnnGen.Models;

/// <summary>
/// What the sequence topologies share around their generated network: the float parameter views, the
/// configuration, the training switch, checkpoints with configuration and vocabulary.
/// </summary>
public abstract class TrainableModel : ITrainable
{
    private Parameter[] _parameters = [];
    private ParameterStore<float>? _store;

    protected TrainableModel() => Caller = new SingleCaller(GetType().Name);

    /// <summary>Refuses a second caller while a call is in progress (see <see cref="SingleCaller"/>).</summary>
    internal SingleCaller Caller { get; }

    public IReadOnlyList<Parameter> Parameters => _parameters;
    public ModelConfiguration Configuration { get; private set; } = null!;
    public bool Training { get; set; } = true;
    /// <summary>The number of learned values.</summary>
    public int ParameterCount => _store?.Length ?? 0;

    /// <summary>Called once by the constructor of each topology, with its float network's store: draws the parameters from <paramref name="seed"/>.</summary>
    private protected void Attach(ParameterStore<float> store, ModelConfiguration configuration, int seed)
    {
        _store = store;
        _parameters = ModelParameters.Of(store);
        Configuration = configuration;
        store.Initialize(new Random(seed));
    }

    /// <summary>Draws fresh parameters, each tensor by its own rule (PyTorch's defaults).</summary>
    public void Initialize(Random random) => _store!.Initialize(random);

    /// <summary>Writes the parameters as safetensors (atomically), with the configuration and, if given, the vocabulary.</summary>
    public void Save(string path, Vocabulary? vocab = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        ModelFile.Save(path, _parameters, Configuration, vocab is null ? null : new() { [LanguageModel.VocabularyMetadataKey] = vocab.ToJson() }, metadata);

    /// <summary>Reads the parameters from a file written by <see cref="Save"/> or by a trainer (its optimiser tensors are ignored).</summary>
    public SafeTensorsFile Load(string path) => ModelFile.Load(path, _parameters, Configuration);

    public override string ToString() => Configuration.ToString();

    /// <summary>Rows per forward pass when predicting many sequences.</summary>
    private protected const int PredictionBatch = 64;

    /// <summary>The sequences in groups of similar length (less padding), with their original positions.</summary>
    private protected static IEnumerable<int[]> PredictionGroups<TItem>(IReadOnlyList<TItem> items, Func<TItem, int> length)
    {
        var order = Enumerable.Range(0, items.Count).OrderBy(i => length(items[i])).ToArray();
        for (int at = 0; at < order.Length; at += PredictionBatch)
            yield return order.AsSpan(at, Math.Min(PredictionBatch, order.Length - at)).ToArray();
    }
}
