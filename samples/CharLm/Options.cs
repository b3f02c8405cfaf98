using System.Globalization;

namespace CharLm;

public enum Command { Train, Sample, Eval, Help }

/// <summary>Everything the command line says. Null means "not given": the command picks its default.</summary>
public sealed record Options
{
    public const string DefaultOut = "runs/charlm";
    public const double DefaultMinutes = 5;
    public const int DefaultBatch = 32;
    public const int DefaultSteps = 64;
    public const float DefaultLearningRate = 3e-3f;
    public const int DefaultLength = 500;
    public const float DefaultTemperature = 0.8f;

    public Command Command { get; init; } = Command.Train;
    public string? Text { get; init; }
    public string? Model { get; init; }
    public int? Epochs { get; init; }
    public double? Minutes { get; init; }
    /// <summary>The fraction of the text held out for validation (its end), instead of the default 5% capped at 10,000 characters.</summary>
    public double? Validation { get; init; }
    public int? Batch { get; init; }
    public int? Steps { get; init; }
    public float? LearningRate { get; init; }
    public int? Seed { get; init; }
    public string Out { get; init; } = DefaultOut;
    public bool Resume { get; init; }
    public string? Checkpoint { get; init; }
    public int Length { get; init; } = DefaultLength;
    public float Temperature { get; init; } = DefaultTemperature;
    public int TopK { get; init; }
    public float TopP { get; init; } = 1;
    public string? Prompt { get; init; }
    public bool Help { get; init; }
}

/// <summary>
/// Reads <c>[command] [--option value | --option=value]...</c>. Every error names the option (or argument) at fault.
/// </summary>
public static class OptionParser
{
    private static readonly string[] Flags = ["--resume", "--help", "-h", "-?"];

    public static readonly IReadOnlyList<string> Names =
    [
        "--text", "--model", "--epochs", "--minutes", "--validation", "--batch", "--steps", "--lr", "--seed", "--out", "--resume",
        "--checkpoint", "--length", "--temperature", "--top-k", "--top-p", "--prompt", "--help",
    ];

    public static Options Parse(IReadOnlyList<string> args)
    {
        var o = new Options();
        bool commandSeen = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                if (commandSeen || i > 0)
                    throw Usage($"unexpected argument '{arg}' (options start with --; the command comes first)");
                o = o with { Command = ParseCommand(arg) };
                commandSeen = true;
                continue;
            }

            string name = arg;
            string? inline = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                inline = arg[(eq + 1)..];
            }

            if (Flags.Contains(name))
            {
                if (inline is not null) throw Usage($"option '{name}' takes no value");
                o = name == "--resume" ? o with { Resume = true } : o with { Help = true };
                continue;
            }
            if (!Names.Contains(name))
                throw Usage($"unknown option '{name}'" + Suggestion(name));

            string value = inline ?? (i + 1 < args.Count ? args[++i] : throw Usage($"option '{name}' needs a value"));
            o = name switch
            {
                "--text" => o with { Text = NonEmpty(name, value) },
                "--model" => o with { Model = NonEmpty(name, value) },
                "--epochs" => o with { Epochs = PositiveInt(name, value) },
                "--minutes" => o with { Minutes = PositiveDouble(name, value) },
                "--validation" => o with { Validation = Fraction(name, value) },
                "--batch" => o with { Batch = PositiveInt(name, value) },
                "--steps" => o with { Steps = PositiveInt(name, value) },
                "--lr" => o with { LearningRate = (float)PositiveDouble(name, value) },
                "--seed" => o with { Seed = Int(name, value) },
                "--out" => o with { Out = NonEmpty(name, value) },
                "--checkpoint" => o with { Checkpoint = NonEmpty(name, value) },
                "--length" => o with { Length = NonNegativeInt(name, value) },
                "--temperature" => o with { Temperature = Temperature(name, value) },
                "--top-k" => o with { TopK = NonNegativeInt(name, value) },
                "--top-p" => o with { TopP = TopP(name, value) },
                "--prompt" => o with { Prompt = value },
                _ => throw Usage($"unknown option '{name}'"),
            };
        }
        return o;
    }

    private static Command ParseCommand(string word) => word.ToLowerInvariant() switch
    {
        "train" => Command.Train,
        "sample" or "generate" => Command.Sample,
        "eval" or "evaluate" => Command.Eval,
        "help" => Command.Help,
        _ => throw Usage($"unknown command '{word}' (expected train, sample, eval or help)"),
    };

    private static string Suggestion(string name)
    {
        string bare = name.TrimStart('-');
        var close = Names.FirstOrDefault(n => n.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase)
                                              || bare.StartsWith(n.TrimStart('-'), StringComparison.OrdinalIgnoreCase));
        return close is null || bare.Length == 0 ? "" : $"; did you mean '{close}'?";
    }

    private static CliException Usage(string message) => new(message, ExitCodes.Usage);

    private static string NonEmpty(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw Usage($"option '{name}' needs a non-empty value") : value;

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
            : throw Usage($"option '{name}' expects an integer, got '{value}'");

    private static int PositiveInt(string name, string value)
    {
        int n = Int(name, value);
        return n > 0 ? n : throw Usage($"option '{name}' must be at least 1, got '{value}'");
    }

    private static int NonNegativeInt(string name, string value)
    {
        int n = Int(name, value);
        return n >= 0 ? n : throw Usage($"option '{name}' must not be negative, got '{value}'");
    }

    private static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
            : throw Usage($"option '{name}' expects a number, got '{value}'");

    private static double Fraction(string name, string value)
    {
        double v = PositiveDouble(name, value);
        if (v >= 1) throw Usage($"{name} takes a fraction of the text between 0 and 1, such as 0.1; got '{value}'.");
        return v;
    }

    private static double PositiveDouble(string name, string value)
    {
        double d = Double(name, value);
        return d > 0 ? d : throw Usage($"option '{name}' must be greater than 0, got '{value}'");
    }

    private static float Temperature(string name, string value)
    {
        double d = Double(name, value);
        return d >= 0 ? (float)d : throw Usage($"option '{name}' must be 0 (greedy) or more, got '{value}'");
    }

    private static float TopP(string name, string value)
    {
        double d = Double(name, value);
        return d > 0 && d <= 1 ? (float)d : throw Usage($"option '{name}' must be in (0, 1], got '{value}'");
    }
}
