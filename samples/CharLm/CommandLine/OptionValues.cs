using System.Globalization;

namespace CharLm;

/// <summary>
/// Reads one option's text as a value, or throws a usage error that names the option and the text. The rules live
/// here, apart from the parser, so that every message says the same thing wherever a value comes from.
/// </summary>
internal static class OptionValues
{
    /// <summary>The longest time budget: TimeSpan holds about 29,000 years; a century is plenty.</summary>
    public const double MaxMinutes = 100 * 365.25 * 24 * 60;

    public static CliException Usage(string message) => new(message, ExitCodes.Usage);

    public static string NonEmpty(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw Usage($"option '{name}' needs a non-empty value") : value;

    public static string Any(string name, string value) => value;

    /// <summary>The weights' precision of an inference session: fp32, bf16 or int8 (their long names too).</summary>
    public static RnnGen.Models.Precision Precision(string name, string value) => value.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => RnnGen.Models.Precision.Float32,
        "bf16" or "bfloat16" => RnnGen.Models.Precision.BFloat16,
        "int8" => RnnGen.Models.Precision.Int8,
        _ => throw Usage($"option '{name}' takes fp32, bf16 or int8, got '{value}'"),
    };

    public static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
            : throw Usage($"option '{name}' expects an integer, got '{value}'");

    public static int PositiveInt(string name, string value)
    {
        int n = Int(name, value);
        return n > 0 ? n : throw Usage($"option '{name}' must be at least 1, got '{value}'");
    }

    public static int NonNegativeInt(string name, string value)
    {
        int n = Int(name, value);
        return n >= 0 ? n : throw Usage($"option '{name}' must not be negative, got '{value}'");
    }

    public static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
            : throw Usage($"option '{name}' expects a number, got '{value}'");

    public static double Fraction(string name, string value)
    {
        double v = PositiveDouble(name, value);
        if (v >= 1) throw Usage($"{name} takes a fraction of the text between 0 and 1, such as 0.1; got '{value}'.");
        return v;
    }

    public static double PositiveDouble(string name, string value)
    {
        double d = Double(name, value);
        return d > 0 ? d : throw Usage($"option '{name}' must be greater than 0, got '{value}'");
    }

    public static double Minutes(string name, string value)
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

    public static float PositiveFloat(string name, string value) => Float(name, value, PositiveDouble(name, value));

    public static float Temperature(string name, string value)
    {
        double d = Double(name, value);
        return d >= 0 ? Float(name, value, d) : throw Usage($"option '{name}' must be 0 (greedy) or more, got '{value}'");
    }

    public static float TopP(string name, string value)
    {
        double d = Double(name, value);
        return d > 0 && d <= 1 ? Float(name, value, d) : throw Usage($"option '{name}' must be in (0, 1], got '{value}'");
    }
}
