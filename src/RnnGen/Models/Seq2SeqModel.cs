using System.Numerics;

namespace RnnGen.Models;

/// <summary>
/// An attention encoder-decoder trained in float: a <see cref="Seq2SeqAttribute"/> class derives from it and the
/// generator writes its network (<see cref="CreateNetwork{T}"/>).
/// </summary>
/// <remarks>
/// The math lives in the generated <see cref="Seq2SeqNetwork{T}"/>; this class owns a float network, exposes its
/// tensors as <see cref="Parameter"/> views for the optimisers, decodes and saves. <see cref="ToDouble"/> builds a
/// double network with the same layout and values, which is how tests check gradients against finite differences.
/// Special token ids default to a <see cref="Vocabulary"/> with all four special tokens (pad 0, bos 2, eos 3).
/// </remarks>
public abstract partial class Seq2SeqModel : ITrainable
{
    public const string SourceVocabularyMetadataKey = "rnngen.source_vocabulary";
    public const string TargetVocabularyMetadataKey = "rnngen.target_vocabulary";
    public const string ModelKind = "seq2seq";

    private readonly Parameter[] _parameters;
    private readonly int _seed;
    /// <summary>Refuses a second caller while a call is in progress (see <see cref="SingleCaller"/>).</summary>
    internal SingleCaller Caller { get; }

    protected Seq2SeqModel(int sourceVocabSize, int targetVocabSize, int seed)
    {
        _seed = seed;
        Caller = new SingleCaller(GetType().Name);
        Network = CreateNetwork<float>(sourceVocabSize, targetVocabSize, seed);
        Network.Initialize(new Random(seed));
        _parameters = ModelParameters.Of(Network.Parameters);
        Configuration = new ModelConfiguration(sourceVocabSize, Network.SourceEmbedding.Width, LayerConfigurations.Of(Network.Encoder))
        {
            Kind = ModelKind,
            Bidirectional = Network.Bidirectional,
            DecoderLayers = LayerConfigurations.Of(Network.Decoder),
            TargetVocabSize = targetVocabSize,
            TargetEmbeddingSize = Network.TargetEmbedding.Width,
            Attention = Network.Attention.Kind.ToString(),
        };
    }

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract Seq2SeqNetwork<T> CreateNetwork<T>(int sourceVocabSize, int targetVocabSize, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    public Seq2SeqNetwork<float> Network { get; }
    public AttentionKind Attention => Network.Attention.Kind;
    public ModelConfiguration Configuration { get; }
    public int SourceVocabSize => Network.SourceVocabSize;
    public int TargetVocabSize => Network.TargetVocabSize;
    public IReadOnlyList<Parameter> Parameters => _parameters;
    /// <summary>The number of learned values.</summary>
    public int ParameterCount => Network.Values.Length;
    public int PaddingId { get; init; }
    public int BeginId { get; init; } = 2;
    public int EndId { get; init; } = 3;
    /// <summary>Whether <see cref="ForwardBackward"/> and <see cref="Loss"/> apply dropout (decoding never does).</summary>
    public bool Training { get; set; } = true;

    /// <summary>Pads sentence pairs into a batch with this model's special ids (targets may be null to decode only).</summary>
    public Seq2SeqBatch CreateBatch(IReadOnlyList<int[]> sources, IReadOnlyList<int[]>? targets, int minSourceSteps = 0, int minTargetSteps = 0) =>
        new(sources, targets, BeginId, EndId, PaddingId, minSourceSteps, minTargetSteps);

    /// <summary>The mean cross-entropy over the batch's real target tokens and its gradients (overwritten).</summary>
    public float ForwardBackward(Seq2SeqBatch batch)
    {
        using var _ = Caller.Enter();
        return Network.Step(batch, Pass.Gradients, Training);
    }

    /// <summary>The mean cross-entropy over the batch's real target tokens, forward only.</summary>
    public float Loss(Seq2SeqBatch batch)
    {
        using var _ = Caller.Enter();
        return Network.Step(batch, Pass.Loss, Training);
    }

    /// <summary>
    /// Greedy decoding of one source sentence: the most likely token at each step until &lt;eos&gt; or
    /// <paramref name="maxLength"/> tokens. With <paramref name="attention"/>, also returns the attention
    /// weights of each produced token over the source, [produced, source length].
    /// </summary>
    public int[] Translate(int[] source, int maxLength = 64, List<float[]>? attention = null)
    {
        using var _ = Caller.Enter();
        return new Seq2SeqDecoder<float>(Network, source).Greedy(BeginId, EndId, maxLength, attention);
    }

    /// <summary>Beam search with length-normalised scores (see <see cref="BeamSearch.Search"/>); beam 1 is greedy.</summary>
    public int[] TranslateBeam(int[] source, int beamWidth, int maxLength = 64, double lengthPenalty = 0.7)
    {
        using var _ = Caller.Enter();
        return new Seq2SeqDecoder<float>(Network, source).Beam(BeginId, EndId, maxLength, beamWidth, lengthPenalty);
    }

    /// <summary>A double-precision network with this model's layout and current values (fresh cells, fresh buffers).</summary>
    public Seq2SeqNetwork<double> ToDouble()
    {
        var network = CreateNetwork<double>(SourceVocabSize, TargetVocabSize, _seed);
        network.Parameters.CopyValuesFrom(Network.Parameters);
        return network;
    }

    /// <summary>Writes the parameters as safetensors, with the configuration and any vocabularies in the metadata.</summary>
    public void Save(string path, Vocabulary? source = null, Vocabulary? target = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var vocabularies = new Dictionary<string, string>();
        if (source is not null) vocabularies[SourceVocabularyMetadataKey] = source.ToJson();
        if (target is not null) vocabularies[TargetVocabularyMetadataKey] = target.ToJson();
        ModelFile.Save(path, _parameters, Configuration, vocabularies, metadata);
    }

    /// <summary>
    /// Reads parameters saved by <see cref="Save"/> by name (extra tensors are ignored); a file that says it holds
    /// a different model is a <see cref="CheckpointException"/> naming the file.
    /// </summary>
    public SafeTensorsFile Load(string path) => ModelFile.Load(path, _parameters, Configuration);
}
