namespace RnnGen.Models;

public abstract partial class LanguageModel
{
    /// <summary>
    /// Continues <paramref name="prompt"/> with <paramref name="length"/> tokens drawn by a <see cref="Sampler"/> (an empty
    /// prompt starts from token 0), on a batch-1 <see cref="LanguageModelSession"/>: dropout off, the same seed the same text.
    /// </summary>
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
        if (ids.Length == 0) ids = [0]; // a prompt that encodes to nothing starts as an empty one
        var generated = new int[length];
        using var session = CreateSession(1);
        var logits = new float[VocabSize];
        Span<int> token = stackalloc int[1];
        foreach (int id in ids)
        {
            token[0] = id;
            session.Step(token, logits);
        }
        for (int i = 0; i < length; i++)
        {
            generated[i] = token[0] = sampler.Sample(logits);
            session.Step(token, logits);
        }
        return prompt + vocab.Decode(generated);
    }

    /// <summary>
    /// Runs the model one token at a time on a single row, keeping its state: generation (no dropout). A thin wrapper over
    /// a batch-1 <see cref="LanguageModelSession"/>, which also serves many rows and many threads at once.
    /// </summary>
    public sealed class Stepper
    {
        private readonly LanguageModelSession _session;
        private readonly int[] _token = new int[1];
        private readonly float[] _logits;

        public Stepper(LanguageModel model)
        {
            ArgumentNullException.ThrowIfNull(model);
            _session = model.CreateSession(1);
            _logits = new float[model.VocabSize];
        }

        /// <summary>Feeds the prompt's tokens and returns the logits after the last one.</summary>
        public ReadOnlySpan<float> Prime(ReadOnlySpan<int> ids)
        {
            ReadOnlySpan<float> logits = default;
            foreach (int id in ids) logits = Step(id);
            return logits;
        }

        /// <summary>Feeds one token; returns the logits of the next (valid until the next call).</summary>
        public ReadOnlySpan<float> Step(int id)
        {
            if ((uint)id >= (uint)_logits.Length) throw new ArgumentOutOfRangeException(nameof(id), id, "Token id outside the vocabulary.");
            _token[0] = id;
            _session.Step(_token, _logits);
            return _logits;
        }
    }
}
