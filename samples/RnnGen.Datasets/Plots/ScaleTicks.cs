using System.Globalization;

namespace RnnGen.Datasets.Plots;

/// <summary>
/// Round tick values for a colour scale (0, 0.25, 0.5 … rather than 0.239, 0.478 …): the multiples inside the
/// range of the largest step of 1, 2, 2.5 or 5 times a power of ten that gives at least four of them.
/// </summary>
internal static class ScaleTicks
{
    public static (double[] Values, string[] Labels) For(double min, double max, int least = 4)
    {
        if (!(max > min))
        {
            return ([min], [Format(min)]);
        }
        // The largest round step that still gives `least` ticks inside the range.
        double top = Math.Pow(10, Math.Ceiling(Math.Log10(max - min)));
        double step = top;
        for (int k = 0; k < 12 && Ticks(min, max, step).Count < least; k++)
        {
            // top × 0.5, 0.25, 0.2, 0.1, 0.05 …
            step = top * Multipliers[Multipliers.Length - 1 - k % Multipliers.Length] / Math.Pow(10, k / Multipliers.Length + 1);
        }
        var values = Ticks(min, max, step);
        return (values.ToArray(), values.Select(Format).ToArray());
    }

    private static readonly double[] Multipliers = [1, 2, 2.5, 5];

    // Integer multiples of the step, so that 0.1 + 0.2 rounding never shows as 0.30000000000000004.
    private static List<double> Ticks(double min, double max, double step)
    {
        var values = new List<double>();
        for (long k = (long)Math.Ceiling(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
        {
            values.Add(k * step);
        }
        return values;
    }

    private static string Format(double value) => Math.Round(value, 10).ToString("G6", CultureInfo.InvariantCulture);
}
