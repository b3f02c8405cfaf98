using System.Numerics.Tensors;
using RnnGen.Kernels;

namespace RnnGen.Models;

/// <summary>
/// An embedding, stacked recurrent layers and a linear output over the vocabulary, trained with softmax
/// cross-entropy. A <see cref="LanguageModelAttribute"/> class derives from it with its layers built
/// from generated cells; it can also be constructed directly from <see cref="LayerDefinition"/>s.
/// </summary>
/// <remarks>
/// Parameters live in one flat buffer (and gradients in another) in PyTorch's state_dict order:
/// embedding.weight [V, E]; per layer k the cell's tensors as rnn.{name}_l{k}; output.weight [V, H];
/// output.bias [V]. Sequences run time-major inside. Not thread-safe: one model, one caller.
/// </remarks>
public class LanguageModel : ILanguageModel
{
    public const string VocabularyMetadataKey = "rnngen.vocabulary";

    private readonly LayerDefinition[] _layers;
    private readonly float[] _values;
    private readonly float[] _gradients;
    private readonly Parameter[] _parameters;
    private readonly int _embeddingAt, _outputWeightAt, _outputBiasAt;
    private readonly int[] _layerAt;
    private readonly CellTape<float>[] _tapes;
    private readonly ulong _seed;
    private ulong _dropoutCalls;
    private Workspace _work = new();

    public LanguageModel(int vocabSize, int embeddingSize, IReadOnlyList<LayerDefinition> layers, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingSize);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("A language model needs at least one recurrent layer.", nameof(layers));
        int below = embeddingSize;
        for (int k = 0; k < layers.Count; k++)
        {
            var cell = layers[k].Cell;
            if (cell.InputSize != below)
                throw new ArgumentException($"Layer {k} ({layers[k].Name}) takes inputs of size {cell.InputSize} but the layer below gives {below}.", nameof(layers));
            if (!(layers[k].Dropout >= 0 && layers[k].Dropout < 1))
                throw new ArgumentOutOfRangeException(nameof(layers), layers[k].Dropout, $"Layer {k} ({layers[k].Name}): dropout must be in [0, 1).");
            below = cell.HiddenSize;
        }

        VocabSize = vocabSize;
        EmbeddingSize = embeddingSize;
        _layers = layers.ToArray();
        _seed = (ulong)seed;
        Configuration = new ModelConfiguration(vocabSize, embeddingSize,
            _layers.Select(l => new LayerConfiguration(l.Name, l.Cell.HiddenSize, l.Dropout)).ToArray());

        // The flat layout, in PyTorch's state_dict order.
        int top = _layers[^1].Cell.HiddenSize;
        int offset = 0;
        _embeddingAt = offset; offset += vocabSize * embeddingSize;
        _layerAt = new int[_layers.Length];
        for (int k = 0; k < _layers.Length; k++) { _layerAt[k] = offset; offset += _layers[k].Cell.ParameterCount; }
        _outputWeightAt = offset; offset += vocabSize * top;
        _outputBiasAt = offset; offset += vocabSize;
        _values = new float[offset];
        _gradients = new float[offset];

        var parameters = new List<Parameter> { new("embedding.weight", [vocabSize, embeddingSize], _values, _gradients, _embeddingAt) };
        for (int k = 0; k < _layers.Length; k++)
            foreach (var p in _layers[k].Cell.Parameters)
                parameters.Add(new Parameter($"rnn.{p.Name}_l{k}", p.Shape, _values, _gradients, _layerAt[k] + p.Offset));
        parameters.Add(new Parameter("output.weight", [vocabSize, top], _values, _gradients, _outputWeightAt));
        parameters.Add(new Parameter("output.bias", [vocabSize], _values, _gradients, _outputBiasAt));
        _parameters = parameters.ToArray();
        _tapes = _layers.Select(_ => new CellTape<float>()).ToArray();

        Initialize(new Random(seed));
    }

    public int VocabSize { get; }
    public int EmbeddingSize { get; }
    public IReadOnlyList<LayerDefinition> Layers => _layers;
    public IReadOnlyList<Parameter> Parameters => _parameters;
    public ModelConfiguration Configuration { get; }
    public bool Training { get; set; } = true;
    /// <summary>The number of learned values.</summary>
    public int ParameterCount => _values.Length;

    /// <summary>Draws fresh parameters as PyTorch does: embedding N(0, 1); recurrent layers and output uniform(±1/sqrt(fan)).</summary>
    public void Initialize(Random random)
    {
        var embedding = _values.AsSpan(_embeddingAt, VocabSize * EmbeddingSize);
        for (int i = 0; i < embedding.Length; i++)
        {
            // Box-Muller: a standard normal from two uniforms.
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            embedding[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        for (int k = 0; k < _layers.Length; k++)
            _layers[k].Cell.Initialize(_values.AsSpan(_layerAt[k], _layers[k].Cell.ParameterCount), random);
        int top = _layers[^1].Cell.HiddenSize;
        CellSupport.Uniform(_values.AsSpan(_outputWeightAt, VocabSize * top), random, 1 / Math.Sqrt(top));
        CellSupport.Uniform(_values.AsSpan(_outputBiasAt, VocabSize), random, 1 / Math.Sqrt(top));
    }

    public RecurrentState CreateState(int batchSize) => new(batchSize, _layers);

    public float ForwardBackward(TokenBatch batch, RecurrentState? state = null) => Run(batch, state, backward: true);

    public float Loss(TokenBatch batch, RecurrentState? state = null) => Run(batch, state, backward: false);

    /// <summary>The logits of every position, [batch, steps, vocab] (row-major, as the batch), forward only.</summary>
    public float[] Logits(TokenBatch batch, RecurrentState? state = null)
    {
        Run(batch, state, backward: false, lossToo: false);
        int B = batch.BatchSize, T = batch.Steps, V = VocabSize;
        var result = new float[B * T * V];
        for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++)
                _work.Logits.AsSpan((t * B + b) * V, V).CopyTo(result.AsSpan((b * T + t) * V, V));
        return result;
    }

    private float Run(TokenBatch batch, RecurrentState? state, bool backward, bool lossToo = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int B = batch.BatchSize, T = batch.Steps, rows = B * T, V = VocabSize;
        if (state is not null && state.BatchSize != B)
            throw new ArgumentException($"The state has {state.BatchSize} rows but the batch has {B}.", nameof(state));
        CheckIds(batch.Inputs, nameof(batch.Inputs));
        var w = _work.Ensure(this, T, B);

        // Embedding: x0[t, b] = E[inputs[b, t]].
        Embedding.Gather(_values.AsSpan(_embeddingAt, V * EmbeddingSize), EmbeddingSize, batch.Inputs, B, T, w.Inputs[0]);

        // The recurrent layers, each over the whole window.
        for (int k = 0; k < _layers.Length; k++)
        {
            var cell = _layers[k].Cell;
            var states = state is { IsZero: false } ? state.Layers[k] : default(ReadOnlySpan<float>);
            var final = state is not null ? state.Layers[k].AsSpan() : default;
            cell.Forward(_values.AsSpan(_layerAt[k], cell.ParameterCount), w.Inputs[k], states, w.Outputs[k], final, _tapes[k], T, B);
            if (Training && _layers[k].Dropout > 0) ApplyDropout(w.Outputs[k], w.Masks[k], _layers[k].Dropout);
        }
        if (state is not null) state.IsZero = false;

        // Output projection: logits[t, b] = W_out * h[t, b] + b_out.
        int top = _layers[^1].Cell.HiddenSize;
        var h = w.Outputs[^1];
        var wOut = _values.AsSpan(_outputWeightAt, V * top);
        var bOut = _values.AsSpan(_outputBiasAt, V);
        for (int r = 0; r < rows; r++) bOut.CopyTo(w.Logits.AsSpan(r * V, V));
        Gemm.Multiply(false, true, rows, V, top, h, top, wOut, top, w.Logits, V, accumulate: true);
        if (!lossToo) return float.NaN;

        // Targets in the same time-major row order as the logits.
        for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++)
                w.TargetOfRow[t * B + b] = batch.Targets[b * T + t];
        CheckIds(batch.Targets, nameof(batch.Targets));

        float scale = 1f / rows;
        double total = SoftmaxCrossEntropy.Forward(w.Logits, V, w.TargetOfRow, backward ? w.Logits : default, scale);
        float loss = (float)(total / rows);
        if (!backward) return loss;

        // Backward, in exact reverse order; gradients are overwritten.
        Array.Clear(_gradients);
        var dLogits = w.Logits; // now holds d(mean loss)/d(logits)
        // d b_out = Σ rows dLogits; d W_out = dLogitsᵀ h; dh = dLogits W_out.
        var dBias = _gradients.AsSpan(_outputBiasAt, V);
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(dBias, dLogits.AsSpan(r * V, V), dBias);
        Gemm.Multiply(true, false, V, top, rows, dLogits, V, h, top, _gradients.AsSpan(_outputWeightAt, V * top), top, accumulate: true);
        Gemm.Multiply(false, false, rows, top, V, dLogits, V, wOut, top, w.OutputGradients[^1], top, accumulate: false);

        for (int k = _layers.Length - 1; k >= 0; k--)
        {
            var cell = _layers[k].Cell;
            if (Training && _layers[k].Dropout > 0) TensorPrimitives.Multiply(w.OutputGradients[k], w.Masks[k], w.OutputGradients[k]);
            // The layer below receives its output gradient; the embedding receives the bottom layer's input gradient.
            var dInputs = k > 0 ? w.OutputGradients[k - 1] : w.EmbeddingGradients;
            cell.Backward(_values.AsSpan(_layerAt[k], cell.ParameterCount), w.Inputs[k], _tapes[k], w.OutputGradients[k], default,
                _gradients.AsSpan(_layerAt[k], cell.ParameterCount), dInputs, default);
        }
        Embedding.Scatter(_gradients.AsSpan(_embeddingAt, V * EmbeddingSize), EmbeddingSize, batch.Inputs, B, T, w.EmbeddingGradients);
        return loss;
    }

    private void CheckIds(int[] ids, string what)
    {
        foreach (int id in ids)
            if ((uint)id >= (uint)VocabSize)
                throw new ArgumentOutOfRangeException(what, id, $"Token id {id} is outside the model's vocabulary of {VocabSize}.");
    }

    // Inverted dropout: zero with probability p, scale the rest by 1 / (1 - p), so evaluation needs no change.
    private void ApplyDropout(Span<float> values, Span<float> mask, float p)
    {
        ulong state = _seed * 0x9E3779B97F4A7C15UL + ++_dropoutCalls * 0xBF58476D1CE4E5B9UL + 1;
        float keep = 1 - p, scale = 1 / keep;
        for (int i = 0; i < values.Length; i++)
        {
            // xorshift64*: fast, deterministic per model seed and call.
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
            float u = ((state * 0x2545F4914F6CDD1DUL) >> 40) * (1f / (1 << 24));
            mask[i] = u < keep ? scale : 0;
        }
        TensorPrimitives.Multiply(values, mask.Slice(0, values.Length), values);
    }

    // ---- Generation ----------------------------------------------------------------------------------

    public string Generate(Vocabulary vocab, string prompt, int length, float temperature = 1, int topK = 0, float topP = 1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (vocab.Count != VocabSize)
            throw new ArgumentException($"The vocabulary has {vocab.Count} tokens but the model was built for {VocabSize}.", nameof(vocab));
        var sampler = new Sampler(temperature, topK, topP, seed);
        var ids = prompt.Length == 0 ? [0] : vocab.Encode(prompt);
        var generated = new int[length];
        bool training = Training;
        Training = false;
        try
        {
            var stepper = new Stepper(this);
            var logits = stepper.Prime(ids);
            for (int i = 0; i < length; i++)
            {
                int next = sampler.Sample(logits);
                generated[i] = next;
                logits = stepper.Step(next);
            }
        }
        finally
        {
            Training = training;
        }
        return prompt + vocab.Decode(generated);
    }

    /// <summary>Runs the model one token at a time on a single row, keeping its state: generation.</summary>
    public sealed class Stepper
    {
        private readonly LanguageModel _model;
        private readonly float[][] _states, _next;
        private readonly float[][] _buffers;
        private readonly float[] _input, _logits;
        private readonly CellTape<float> _tape = new();

        public Stepper(LanguageModel model)
        {
            _model = model;
            _states = model._layers.Select(l => new float[l.Cell.StateCount * l.Cell.HiddenSize]).ToArray();
            _next = model._layers.Select(l => new float[l.Cell.StateCount * l.Cell.HiddenSize]).ToArray();
            _buffers = model._layers.Select(l => new float[l.Cell.HiddenSize]).ToArray();
            _input = new float[model.EmbeddingSize];
            _logits = new float[model.VocabSize];
        }

        /// <summary>Feeds the prompt's tokens and returns the logits after the last one.</summary>
        public ReadOnlySpan<float> Prime(ReadOnlySpan<int> ids)
        {
            ReadOnlySpan<float> logits = default;
            foreach (int id in ids) logits = Step(id);
            return logits;
        }

        /// <summary>Feeds one token; returns the logits of the next.</summary>
        public ReadOnlySpan<float> Step(int id)
        {
            var m = _model;
            if ((uint)id >= (uint)m.VocabSize) throw new ArgumentOutOfRangeException(nameof(id), id, "Token id outside the vocabulary.");
            m._values.AsSpan(m._embeddingAt + id * m.EmbeddingSize, m.EmbeddingSize).CopyTo(_input);
            ReadOnlySpan<float> x = _input;
            for (int k = 0; k < m._layers.Length; k++)
            {
                var cell = m._layers[k].Cell;
                cell.Forward(m._values.AsSpan(m._layerAt[k], cell.ParameterCount), x, _states[k], _buffers[k], _next[k], _tape, 1, 1);
                (_states[k], _next[k]) = (_next[k], _states[k]);
                x = _buffers[k];
            }
            int top = m._layers[^1].Cell.HiddenSize;
            m._values.AsSpan(m._outputBiasAt, m.VocabSize).CopyTo(_logits);
            Gemm.Multiply(false, true, 1, m.VocabSize, top, x, top, m._values.AsSpan(m._outputWeightAt, m.VocabSize * top), top, _logits, m.VocabSize, accumulate: true);
            return _logits;
        }
    }

    // ---- Checkpoints -------------------------------------------------------------------------------

    public void Save(string path, Vocabulary? vocab = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            [ModelConfiguration.MetadataKey] = Configuration.ToJson(),
            ["format"] = "pt",
        };
        if (vocab is not null) all[VocabularyMetadataKey] = vocab.ToJson();
        SafeTensors.Write(path, _parameters, all);
    }

    public SafeTensorsFile Load(string path)
    {
        var file = SafeTensors.Read(path);
        if (file.Metadata.TryGetValue(ModelConfiguration.MetadataKey, out var json))
        {
            ModelConfiguration stored;
            try
            {
                stored = ModelConfiguration.FromJson(json);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new CheckpointException(path, $"its model configuration is not valid JSON ({e.Message})", e);
            }
            if (!stored.SameShapeAs(Configuration))
                throw new CheckpointException(path, $"it holds a different model ({stored}) than this one ({Configuration})");
        }
        file.LoadInto(_parameters);
        return file;
    }

    /// <summary>The buffers of one window shape, reused from step to step so that training allocates nothing.</summary>
    private sealed class Workspace
    {
        private int _steps, _batch;
        public float[][] Inputs = [], Outputs = [], OutputGradients = [], Masks = [];
        public float[] EmbeddingGradients = [], Logits = [];
        public int[] TargetOfRow = [];

        public Workspace Ensure(LanguageModel m, int steps, int batch)
        {
            if (steps == _steps && batch == _batch) return this;
            int rows = steps * batch;
            var w = new Workspace { _steps = steps, _batch = batch };
            w.Inputs = new float[m._layers.Length][];
            w.Outputs = new float[m._layers.Length][];
            w.OutputGradients = new float[m._layers.Length][];
            w.Masks = new float[m._layers.Length][];
            for (int k = 0; k < m._layers.Length; k++)
            {
                int h = m._layers[k].Cell.HiddenSize;
                w.Outputs[k] = new float[rows * h];
                w.OutputGradients[k] = new float[rows * h];
                w.Masks[k] = m._layers[k].Dropout > 0 ? new float[rows * h] : [];
                w.Inputs[k] = k == 0 ? new float[rows * m.EmbeddingSize] : w.Outputs[k - 1];
            }
            w.EmbeddingGradients = new float[rows * m.EmbeddingSize];
            w.Logits = new float[rows * m.VocabSize];
            w.TargetOfRow = new int[rows];
            m._work = w;
            return w;
        }
    }

    public override string ToString() => Configuration.ToString();
}
