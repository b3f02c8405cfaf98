using RnnGen.Modules;

namespace RnnGen.Training;

/// <summary>
/// The dropout modules of the built-in topologies, in a fixed order, so that a checkpoint can carry how far each
/// mask stream has gone (<see cref="Dropout{T}.Calls"/>) and a resumed run draws the masks an uninterrupted one would.
/// A model of another kind has none that the trainer can reach.
/// </summary>
internal static class DropoutCounters
{
    public static IReadOnlyList<Dropout<float>> Of(ITrainable model) => model switch
    {
        LanguageModel m => m.Network.Rnn.DropoutModules.ToArray(),
        SequenceClassifier m => m.Network.Rnn.DropoutModules.ToArray(),
        SequenceTagger m => m.Network.Rnn.DropoutModules.ToArray(),
        SequenceRegressor m => m.Network.Rnn.DropoutModules.ToArray(),
        Seq2SeqModel m => m.Network.Encoder.DropoutModules.Concat(m.Network.Decoder.DropoutModules).ToArray(),
        _ => [],
    };

    /// <summary>The calls of each module, or null when the model has none.</summary>
    public static ulong[]? Calls(ITrainable model)
    {
        var modules = Of(model);
        return modules.Count == 0 ? null : modules.Select(d => d.Calls).ToArray();
    }

    public static void Restore(ITrainable model, IReadOnlyList<ulong>? calls, string path)
    {
        var modules = Of(model);
        if (calls is null) return; // an older checkpoint: the streams start again
        if (calls.Count != modules.Count)
            throw new CheckpointException(path, $"it records {calls.Count} dropout module(s) but the model has {modules.Count}");
        for (int i = 0; i < modules.Count; i++) modules[i].Calls = calls[i];
    }
}
