namespace RnnGen.Datasets.Plots;

/// <summary>
/// A forecast against the truth as a PNG: both as lines over the steps, with the noisy input the model saw as
/// light points behind them, a legend and labelled axes.
/// </summary>
public static class ForecastPlot
{
    /// <summary>
    /// Saves the plot to <paramref name="path"/>. Step t of <paramref name="truth"/> and <paramref name="forecast"/>
    /// is the value they give for step t (for a one-step-ahead forecast, the value after input t); the lengths may
    /// differ, each series is drawn as far as it goes.
    /// </summary>
    public static void Save(string path, float[] truth, float[] forecast, float[]? input, string title)
    {
        var plot = new ScottPlot.Plot();
        if (input is { Length: > 0 })
        {
            var points = plot.Add.ScatterPoints(Steps(input.Length), ToDouble(input), ScottPlot.Colors.Gray.WithAlpha(0.55));
            points.MarkerSize = 5;
            points.LegendText = "input (noisy)";
        }
        var truthLine = plot.Add.ScatterLine(Steps(truth.Length), ToDouble(truth), ScottPlot.Colors.Black);
        truthLine.LineWidth = 2;
        truthLine.LegendText = "truth";
        var forecastLine = plot.Add.ScatterLine(Steps(forecast.Length), ToDouble(forecast), ScottPlot.Colors.OrangeRed);
        forecastLine.LineWidth = 2;
        forecastLine.LinePattern = ScottPlot.LinePattern.Dashed;
        forecastLine.LegendText = "forecast";

        plot.Title(title, 16);
        plot.XLabel("step", 14);
        plot.YLabel("value", 14);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        int steps = Math.Max(truth.Length, Math.Max(forecast.Length, input?.Length ?? 0));
        // Wide enough that a period of six steps still shows as a wave.
        plot.SavePng(path, Math.Clamp(300 + 8 * steps, 800, 2400), 480);
    }

    private static double[] Steps(int count) => Enumerable.Range(0, count).Select(t => (double)t).ToArray();

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
