namespace RnnGen.Models;

/// <summary>
/// An attention encoder-decoder trained in float: a <see cref="Seq2SeqAttribute"/> class derives from it
/// with cells built by the generator; it can also be constructed directly from a <see cref="Seq2SeqDefinition"/>.
/// </summary>
/// <remarks>
/// The math lives in <see cref="Seq2SeqNetwork{T}"/>; this class owns a float network, exposes its tensors
/// as <see cref="Parameter"/> views for the optimisers, and decodes. <see cref="ToDouble"/> copies it into a
/// double network with the same layout, which is how tests check gradients against finite differences.
/// Special token ids default to a <see cref="Vocabulary"/> with all four special tokens (pad 0, bos 2, eos 3).
/// </remarks>
public class Seq2SeqModel
{
    private readonly Parameter[] _parameters;

    public Seq2SeqModel(int sourceVocabSize, int targetVocabSize, Seq2SeqDefinition definition, int seed = 0)
    {
        Network = new Seq2SeqNetwork<float>(sourceVocabSize, targetVocabSize, definition);
        Network.Initialize(new Random(seed));
        _parameters = Network.Tensors.Select(t => new Parameter(t.Name, t.Shape, Network.Values, Network.Gradients, t.Offset)).ToArray();
    }

    public Seq2SeqNetwork<float> Network { get; }
    public Seq2SeqDefinition Definition => Network.Definition;
    public int SourceVocabSize => Network.SourceVocabSize;
    public int TargetVocabSize => Network.TargetVocabSize;
    public IReadOnlyList<Parameter> Parameters => _parameters;
    /// <summary>The number of learned values.</summary>
    public int ParameterCount => Network.Values.Length;
    public int PaddingId { get; init; }
    public int BeginId { get; init; } = 2;
    public int EndId { get; init; } = 3;

    /// <summary>Pads sentence pairs into a batch with this model's special ids (targets may be null to decode only).</summary>
    public Seq2SeqBatch CreateBatch(IReadOnlyList<int[]> sources, IReadOnlyList<int[]>? targets, int minSourceSteps = 0, int minTargetSteps = 0) =>
        new(sources, targets, BeginId, EndId, PaddingId, minSourceSteps, minTargetSteps);

    /// <summary>The mean cross-entropy over the batch's real target tokens and its gradients (overwritten).</summary>
    public float ForwardBackward(Seq2SeqBatch batch) => Network.ForwardBackward(batch);

    /// <summary>The mean cross-entropy over the batch's real target tokens, forward only.</summary>
    public float Loss(Seq2SeqBatch batch) => Network.Loss(batch);

    /// <summary>Greedy decoding; see <see cref="Seq2SeqNetwork{T}.Greedy"/>.</summary>
    public int[] Translate(int[] source, int maxLength = 64, List<float[]>? attention = null) =>
        Network.Greedy(source, BeginId, EndId, maxLength, attention);

    /// <summary>Beam search with length-normalised scores; see <see cref="Seq2SeqNetwork{T}.Beam"/>.</summary>
    public int[] TranslateBeam(int[] source, int beamWidth, int maxLength = 64, double lengthPenalty = 0.7) =>
        Network.Beam(source, BeginId, EndId, maxLength, beamWidth, lengthPenalty);

    /// <summary>A double-precision network with this model's layout and current values (fresh cells, fresh buffers).</summary>
    public Seq2SeqNetwork<double> ToDouble()
    {
        var network = new Seq2SeqNetwork<double>(SourceVocabSize, TargetVocabSize, Definition);
        for (int i = 0; i < Network.Values.Length; i++) network.Values[i] = Network.Values[i];
        return network;
    }

    /// <summary>Writes the parameters as safetensors.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Write(path, _parameters, new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { ["format"] = "pt" });

    /// <summary>Reads parameters saved by <see cref="Save"/> (by name; says what is missing or mis-shaped).</summary>
    public SafeTensorsFile Load(string path)
    {
        var file = SafeTensors.Read(path);
        file.LoadInto(_parameters);
        return file;
    }
}
