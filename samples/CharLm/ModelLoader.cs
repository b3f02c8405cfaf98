using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;

namespace CharLm;

/// <summary>A trained model ready to generate or be evaluated.</summary>
public sealed record LoadedModel(LanguageModel Model, Vocabulary Vocabulary, Preset Preset, string Path);

/// <summary>Opens a checkpoint for <c>sample</c> and <c>eval</c>: its vocabulary, the preset it was trained as, its weights.</summary>
public static class ModelLoader
{
    public static string DefaultCheckpoint(string outDirectory) => Path.Combine(outDirectory, "best.safetensors");

    public static LoadedModel Load(Options o)
    {
        string path = o.Checkpoint ?? DefaultCheckpoint(o.Out);
        if (!File.Exists(path))
            throw new CliException(o.Checkpoint is null
                ? $"no checkpoint at {path}: train first (rnngen train --out {o.Out}), or pass --checkpoint FILE"
                : $"--checkpoint: no file '{path}'");
        var file = SafeTensors.Read(path);

        Vocabulary vocab;
        if (file.Metadata.TryGetValue(LanguageModel.VocabularyMetadataKey, out var json))
        {
            vocab = ReadVocabulary(json, path);
        }
        else
        {
            string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "vocab.json");
            if (!File.Exists(beside))
                throw new CliException($"{path}: the checkpoint holds no vocabulary and there is no vocab.json beside it");
            vocab = ReadVocabulary(File.ReadAllText(beside), beside);
        }

        Preset preset;
        if (o.Model is not null)
        {
            preset = Presets.Find(o.Model) ?? throw UnknownPreset(o.Model);
        }
        else if (file.Metadata.TryGetValue(ModelConfiguration.MetadataKey, out var config))
        {
            ModelConfiguration stored;
            try
            {
                stored = ModelConfiguration.FromJson(config);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new CheckpointException(path, $"its model configuration is not valid JSON ({e.Message})", e);
            }
            preset = Presets.Matching(stored)
                     ?? throw new CliException($"{path}: it holds a model ({stored}) that is none of the presets; see rnngen --model list");
        }
        else
        {
            throw new CliException($"{path}: the checkpoint does not say which model it holds; pass --model NAME");
        }

        var model = preset.Create(vocab.Count, o.Seed ?? 0);
        model.Load(path); // a CheckpointException naming the file when it holds a different model
        model.Training = false;
        return new LoadedModel(model, vocab, preset, path);
    }

    public static Vocabulary ReadVocabulary(string json, string source)
    {
        try
        {
            return Vocabulary.FromJson(json);
        }
        catch (FormatException e)
        {
            throw new CliException($"{source}: {e.Message}");
        }
    }

    public static CliException UnknownPreset(string name) =>
        new($"--model: unknown model '{name}'; choose one of {string.Join(", ", Presets.All.Select(p => p.Name))} (rnngen --model list)", ExitCodes.Usage);
}
