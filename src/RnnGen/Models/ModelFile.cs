using System.Text.Json;

namespace RnnGen.Models;

/// <summary>Saving and loading a model's parameters as safetensors, with its configuration (and vocabularies) in the metadata.</summary>
internal static class ModelFile
{
    public static void Save(string path, IReadOnlyList<Parameter> parameters, ModelConfiguration configuration,
        Dictionary<string, string>? vocabularies, IReadOnlyDictionary<string, string>? metadata)
    {
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            [ModelConfiguration.MetadataKey] = configuration.ToJson(),
            ["format"] = "pt",
        };
        foreach (var (key, json) in vocabularies ?? []) all[key] = json;
        SafeTensors.Write(path, parameters, all);
    }

    /// <summary>Reads the tensors by name; when the file says what model it holds, that must be this one's shape.</summary>
    public static SafeTensorsFile Load(string path, IReadOnlyList<Parameter> parameters, ModelConfiguration configuration)
    {
        var file = SafeTensors.Read(path);
        if (file.Metadata.TryGetValue(ModelConfiguration.MetadataKey, out var json))
        {
            ModelConfiguration stored;
            try
            {
                stored = ModelConfiguration.FromJson(json);
            }
            catch (JsonException e)
            {
                throw new CheckpointException(path, $"its model configuration is not valid JSON ({e.Message})", e);
            }
            // The serializer leaves a missing (or misspelt) list null rather than failing; comparing would then throw.
            if (stored.Layers is null || stored.Layers.Any(l => l?.Cell is null) || stored.DecoderLayers?.Any(l => l?.Cell is null) == true)
                throw new CheckpointException(path, "its model configuration lacks its \"layers\" or a layer's \"cell\"");
            if (!stored.SameShapeAs(configuration))
                throw new CheckpointException(path, $"it holds a different model ({stored}) than this one ({configuration})");
        }
        file.LoadInto(parameters);
        return file;
    }
}
