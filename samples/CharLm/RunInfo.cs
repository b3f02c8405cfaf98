using RnnGen.Checkpoints;
using System.Text;
using System.Text.Json;

namespace CharLm;

/// <summary>The settings of a training run, kept in <c>&lt;out&gt;/run.json</c> so that <c>--resume</c>, <c>sample</c> and <c>eval</c> reuse them.</summary>
public sealed record RunInfo(string Model, int Batch, int Steps, float LearningRate, int Seed, string? Text)
{
    public const string FileName = "run.json";

    public void Write(string directory)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("model", Model);
            json.WriteNumber("batch", Batch);
            json.WriteNumber("steps", Steps);
            json.WriteNumber("learningRate", LearningRate);
            json.WriteNumber("seed", Seed);
            if (Text is null) json.WriteNull("text"); else json.WriteString("text", Path.GetFullPath(Text));
            json.WriteEndObject();
        }
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    /// <summary>The run described in <paramref name="directory"/>, or null when there is none (or it is unreadable).</summary>
    public static RunInfo? Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            return new RunInfo(r.GetProperty("model").GetString()!, r.GetProperty("batch").GetInt32(), r.GetProperty("steps").GetInt32(),
                r.GetProperty("learningRate").GetSingle(), r.GetProperty("seed").GetInt32(),
                r.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
