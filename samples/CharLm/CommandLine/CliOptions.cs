using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CharLm;

/// <summary>
/// Every option of rnngen, once: its name, what it takes and what it means. Values are read by
/// <see cref="OptionValues"/>, so an option given a bad value fails with the same message as before the move to
/// System.CommandLine. Options left out stay null: the command then picks its default (or the resumed run's value).
/// </summary>
internal sealed class CliOptions
{
    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    // Training.
    public readonly Option<string?> Text = Value("--text", "FILE|DIR", OptionValues.NonEmpty,
        "UTF-8 text, or a folder of *.txt files (sorted, concatenated); default: English prose from the .NET SDK's reference documentation");
    public readonly Option<string?> Model = Value("--model", "NAME", OptionValues.NonEmpty,
        $"Model preset (default: {Presets.DefaultName}); 'list' shows them all");
    public readonly Option<double?> Minutes = Value<double>("--minutes", "N", OptionValues.Minutes,
        Inv($"Time budget in minutes (default: {Options.DefaultMinutes}; without it, --epochs alone bounds the run)"));
    public readonly Option<double?> Validation = Value<double>("--validation", "F", OptionValues.Fraction,
        "Hold out the last fraction F of the text for validation (default: 5%, at most 10,000 characters)");
    public readonly Option<int?> Epochs = Value<int>("--epochs", "N", OptionValues.PositiveInt,
        "Passes over the text (default: unbounded within the time budget)");
    public readonly Option<int?> Batch = Value<int>("--batch", "N", OptionValues.PositiveInt,
        Inv($"Rows trained side by side (default: {Options.DefaultBatch})"));
    public readonly Option<int?> Steps = Value<int>("--steps", "N", OptionValues.PositiveInt,
        Inv($"Characters per window, the BPTT length (default: {Options.DefaultSteps})"));
    public readonly Option<float?> LearningRate = Value<float>("--lr", "X", OptionValues.PositiveFloat,
        Inv($"Adam learning rate (default: {Options.DefaultLearningRate})"));
    public readonly Option<int?> Seed = Value<int>("--seed", "N", OptionValues.Int,
        "Initialisation, dropout and sampling seed (default: 0)");
    public readonly Option<string?> Out = Value("--out", "DIR", OptionValues.NonEmpty,
        $"Where checkpoints, vocab.json, loss.csv and loss.png go (default: {Options.DefaultOut})");
    public readonly Option<bool> Resume = Flag("--resume", "Continue from <out>/last.safetensors");
    public readonly Option<bool> Overwrite = Flag("--overwrite", "Start afresh in an --out that already holds a run, replacing it");
    public readonly Option<bool> Distributed = Flag("--distributed",
        "Data-parallel over the processes of mpirun -np N (Open MPI): --batch stays the global batch, each rank trains batch/N rows; rank 0 writes --out");

    // Sampling and evaluation.
    public readonly Option<string?> Checkpoint = Value("--checkpoint", "FILE", OptionValues.NonEmpty,
        "The checkpoint to read (default: <out>/best.safetensors)");
    public readonly Option<int?> Length = Value<int>("--length", "N", OptionValues.NonNegativeInt,
        Inv($"Characters to generate (default: {Options.DefaultLength})"));
    public readonly Option<float?> Temperature = Value<float>("--temperature", "X", OptionValues.Temperature,
        Inv($"0 = greedy; higher = more adventurous (default: {Options.DefaultTemperature})"));
    public readonly Option<int?> TopK = Value<int>("--top-k", "N", OptionValues.NonNegativeInt,
        "Sample only from the N most likely characters (default: 0 = all)");
    public readonly Option<float?> TopP = Value<float>("--top-p", "X", OptionValues.TopP,
        "Nucleus sampling: the smallest set reaching probability X (default: 1)");
    public readonly Option<string?> Prompt = Value("--prompt", "TEXT", OptionValues.Any, "Text to continue");
    public readonly Option<RnnGen.Models.Precision?> Precision = Value<RnnGen.Models.Precision>("--precision", "fp32|bf16|int8", OptionValues.Precision,
        "Run through an inference session with the weights at this precision (bf16: half the bytes, int8: a quarter; default: the model's forward pass in fp32)");

    // Export.
    public readonly Option<string?> Onnx = Value("--onnx", "FILE", OptionValues.NonEmpty,
        "Where export writes the ONNX model (opset 17; required)");

    public CliOptions()
    {
        // Completions for the shell (dotnet-suggest): the presets by name.
        Model.CompletionSources.Add(_ => ["list", .. Presets.All.Select(p => p.Name)]);
    }

    /// <summary>The options of <c>train</c>, which is also what <c>rnngen</c> with no command runs.</summary>
    public IEnumerable<Option> ForTrain =>
        [Text, Model, Minutes, Validation, Epochs, Batch, Steps, LearningRate, Seed, Out, Resume, Overwrite, Distributed, Length, TopK, TopP, Prompt];

    public IEnumerable<Option> ForSample => [Checkpoint, Out, Model, Prompt, Length, Temperature, TopK, TopP, Seed, Precision];

    public IEnumerable<Option> ForEval => [Checkpoint, Out, Model, Text, Batch, Steps, Precision];

    public IEnumerable<Option> ForExport => [Checkpoint, Out, Model, Onnx];

    private static Option<string?> Value(string name, string helpName, Func<string, string, string> read, string description) =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = r => Read(r, name, read),
        };

    private static Option<T?> Value<T>(string name, string helpName, Func<string, string, T> read, string description) where T : struct =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = r => Read(r, name, (n, v) => (T?)read(n, v)),
        };

    private static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>One token through <paramref name="read"/>; its usage error becomes a parse error on the option.</summary>
    private static T? Read<T>(ArgumentResult result, string name, Func<string, string, T> read)
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"option '{name}' needs a value");
            return default;
        }
        try
        {
            return read(name, result.Tokens[^1].Value);
        }
        catch (CliException e)
        {
            result.AddError(e.Message);
            return default;
        }
    }
}
