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
    /// <summary>Start afresh in an --out folder that already holds a run, replacing it.</summary>
    public bool Overwrite { get; init; }
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
    private static readonly string[] Flags = ["--resume", "--overwrite", "--help", "-h", "-?"];

    public static readonly IReadOnlyList<string> Names =
    [
        "--text", "--model", "--epochs", "--minutes", "--validation", "--batch", "--steps", "--lr", "--seed", "--out", "--resume", "--overwrite",
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
                o = name switch
                {
                    "--resume" => o with { Resume = true },
                    "--overwrite" => o with { Overwrite = true },
                    _ => o with { Help = true },
                };
                continue;
            }
            if (!Names.Contains(name))
                throw Usage($"unknown option '{name}'" + Suggestion(name));

            string value = inline ?? NextValue(args, ref i, name);
            o = name switch
            {
                "--text" => o with { Text = NonEmpty(name, value) },
                "--model" => o with { Model = NonEmpty(name, value) },
                "--epochs" => o with { Epochs = PositiveInt(name, value) },
                "--minutes" => o with { Minutes = Minutes(name, value) },
                "--validation" => o with { Validation = Fraction(name, value) },
                "--batch" => o with { Batch = PositiveInt(name, value) },
                "--steps" => o with { Steps = PositiveInt(name, value) },
                "--lr" => o with { LearningRate = PositiveFloat(name, value) },
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
        if (o.Resume && o.Overwrite) throw Usage("--resume continues the run in --out and --overwrite replaces it: give one of them");
        return o;
    }

    /// <summary>
    /// The value after option <paramref name="name"/>. Another option is never taken for it: <c>--out --resume</c> is an
    /// error, not a folder named --resume (a value that starts with -- is written <c>--out=--odd</c>).
    /// </summary>
    private static string NextValue(IReadOnlyList<string> args, ref int i, string name)
    {
        if (i + 1 >= args.Count) throw Usage($"option '{name}' needs a value");
        string next = args[i + 1];
        if (next.StartsWith("--", StringComparison.Ordinal) || Flags.Contains(next))
            throw Usage($"option '{name}' needs a value, but is followed by the option '{next}' (for a value that starts with --, write {name}=VALUE)");
        i++;
        return next;
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

    /// <summary>The longest time budget: TimeSpan holds about 29,000 years; a century is plenty.</summary>
    private const double MaxMinutes = 100 * 365.25 * 24 * 60;

    private static double Minutes(string name, string value)
    {
        double d = PositiveDouble(name, value);
        return d <= MaxMinutes ? d : throw Usage($"option '{name}' must be at most {MaxMinutes:0} (a century), got '{value}'");
    }

    /// <summary>A number the model uses as a 32-bit float: it must stay finite, and not round to 0 when it is positive.</summary>
    private static float Float(string name, string value, double d)
    {
        float f = (float)d;
        if (!float.IsFinite(f))
            throw Usage(FormattableString.Invariant($"option '{name}' is too large, got '{value}' (at most {float.MaxValue:G3})"));
        if (d != 0 && !float.IsNormal(f))
            throw Usage(FormattableString.Invariant($"option '{name}' is too small, got '{value}': it rounds to {f} as a 32-bit float (at least 1.18E-38)"));
        return f;
    }

    private static float PositiveFloat(string name, string value) => Float(name, value, PositiveDouble(name, value));

    private static float Temperature(string name, string value)
    {
        double d = Double(name, value);
        return d >= 0 ? Float(name, value, d) : throw Usage($"option '{name}' must be 0 (greedy) or more, got '{value}'");
    }

    private static float TopP(string name, string value)
    {
        double d = Double(name, value);
        return d > 0 && d <= 1 ? Float(name, value, d) : throw Usage($"option '{name}' must be in (0, 1], got '{value}'");
    }
}
