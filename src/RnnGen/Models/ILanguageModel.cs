namespace RnnGen.Models;

/// <summary>A trainable language model over token ids: what <see cref="Trainer"/> and the samples need.</summary>
public interface ILanguageModel : ITrainable
{
    int VocabSize { get; }

    /// <summary>
    /// The mean cross-entropy over every target of the batch, from a zero state (or from <paramref name="state"/>,
    /// which is then advanced to the batch's final state), and the gradients of that mean, overwritten.
    /// </summary>
    float ForwardBackward(TokenBatch batch, RecurrentState? state = null);
    /// <summary>The same loss, forward only.</summary>
    float Loss(TokenBatch batch, RecurrentState? state = null);
    /// <summary>A state for carrying the recurrence across consecutive windows of <paramref name="batchSize"/> rows.</summary>
    RecurrentState CreateState(int batchSize);

    /// <summary>Continues <paramref name="prompt"/> by sampling <paramref name="length"/> tokens.</summary>
    string Generate(Vocabulary vocab, string prompt, int length, float temperature = 1, int topK = 0, float topP = 1, int? seed = null);
    /// <summary>Writes the parameters as safetensors (atomically), with the configuration and, if given, the vocabulary.</summary>
    void Save(string path, Vocabulary? vocab = null, IReadOnlyDictionary<string, string>? metadata = null);
}
