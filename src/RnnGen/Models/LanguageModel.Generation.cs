namespace RnnGen.Models;

public abstract partial class LanguageModel
{
    public string Generate(Vocabulary vocab, string prompt, int length, float temperature = 1, int topK = 0, float topP = 1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (vocab.Count != VocabSize)
            throw new ArgumentException($"The vocabulary has {vocab.Count} tokens but the model was built for {VocabSize}.", nameof(vocab));
        using var _ = Caller.Enter();
        var sampler = new Sampler(temperature, topK, topP, seed);
        var ids = prompt.Length == 0 ? [0] : vocab.Encode(prompt);
        var generated = new int[length];
        var stepper = new Stepper(this);
        var logits = stepper.Prime(ids);
        for (int i = 0; i < length; i++)
        {
            int next = sampler.Sample(logits);
            generated[i] = next;
            logits = stepper.Step(next);
        }
        return prompt + vocab.Decode(generated);
    }

    /// <summary>Runs the model one token at a time on a single row, keeping its state: generation (no dropout).</summary>
    public sealed class Stepper
    {
        private readonly LanguageModelNetwork<float> _network;
        private readonly float[][] _states, _next, _buffers;
        private readonly float[] _input, _logits;
        private readonly CellTape<float> _tape = new();

        public Stepper(LanguageModel model)
        {
            ArgumentNullException.ThrowIfNull(model);
            _network = model._network;
            var layers = _network.Rnn.Layers;
            _states = layers.Select(l => new float[l.Forward.StateCount * l.Forward.HiddenSize]).ToArray();
            _next = layers.Select(l => new float[l.Forward.StateCount * l.Forward.HiddenSize]).ToArray();
            _buffers = layers.Select(l => new float[l.Forward.HiddenSize]).ToArray();
            _input = new float[_network.Embedding.Width];
            _logits = new float[_network.VocabSize];
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
            var n = _network;
            var store = n.Parameters;
            int E = n.Embedding.Width, V = n.VocabSize;
            if ((uint)id >= (uint)V) throw new ArgumentOutOfRangeException(nameof(id), id, "Token id outside the vocabulary.");
            store.Value(n.Embedding.Weight).Slice(id * E, E).CopyTo(_input);
            ReadOnlySpan<float> x = _input;
            var layers = n.Rnn.Layers;
            for (int k = 0; k < layers.Count; k++)
            {
                var cell = layers[k].Forward;
                cell.Forward(store.Value(n.Rnn.ForwardOffset(k), cell.ParameterCount), x, _states[k], _buffers[k], _next[k], _tape, 1, 1);
                (_states[k], _next[k]) = (_next[k], _states[k]);
                x = _buffers[k];
            }
            int top = n.Output.Inputs;
            store.Value(n.Output.Bias!).CopyTo(_logits);
            Gemm.Multiply(false, true, 1, V, top, x, top, store.Value(n.Output.Weight), top, _logits, V, accumulate: true);
            return _logits;
        }
    }
}
