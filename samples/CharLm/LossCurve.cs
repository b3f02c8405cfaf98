using System.Globalization;
using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;

namespace CharLm;

/// <summary>One point of the loss curve: a training-loss sample, with the validation figures when one was measured.</summary>
public sealed record LossPoint(long Step, double Epoch, long Tokens, double ElapsedSeconds, double TrainLoss, double? ValidationLoss)
{
    public double? Perplexity => ValidationLoss is { } v ? Math.Exp(v) : null;
    public double? BitsPerChar => ValidationLoss is { } v ? v / Math.Log(2) : null;
}

/// <summary>
/// The loss history of a run: appended to <c>loss.csv</c> as it grows (so a killed run keeps it), plotted to <c>loss.png</c>.
/// </summary>
public sealed class LossCurve : IDisposable
{
    public const string Header = "step,epoch,tokens,elapsed_s,train_loss,val_loss,perplexity,bits_per_char";
    private readonly List<LossPoint> _points = [];
    private readonly List<string> _kept = [];
    private StreamWriter? _csv;

    /// <summary>Starts <paramref name="csvPath"/> afresh, or, when <paramref name="continueAfterTokens"/> is set, keeps its rows up to that many tokens.</summary>
    public LossCurve(string csvPath, long? continueAfterTokens = null)
    {
        CsvPath = csvPath;
        if (continueAfterTokens is { } last && File.Exists(csvPath))
        {
            // Rows after the checkpoint we resume from were never saved in it: they are trained again. The rest stay as written.
            foreach (var line in File.ReadLines(csvPath).Skip(1))
            {
                if (Parse(line) is { } p && p.Tokens <= last)
                {
                    _points.Add(p);
                    _kept.Add(line);
                }
            }
        }
        // The file is rewritten at the first point, not here: a run refused before it trains leaves loss.csv as it was.
    }

    public string CsvPath { get; }
    public IReadOnlyList<LossPoint> Points => _points;

    public void Add(LossPoint point)
    {
        _points.Add(point);
        if (_csv is null)
        {
            // The header and the kept rows replace the file in one rename, so a failure here leaves the old curve whole.
            AtomicFile.WriteAllText(CsvPath, string.Concat(_kept.Prepend(Header).Select(line => line + "\n")));
            _csv = new StreamWriter(AtomicFile.OpenAppend(CsvPath), new System.Text.UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        }
        _csv.WriteLine(Format(point));
    }

    private static string Format(LossPoint p)
    {
        static string N(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "";
        return string.Join(',', p.Step.ToString(CultureInfo.InvariantCulture), N(p.Epoch, "0.####"), p.Tokens.ToString(CultureInfo.InvariantCulture),
            N(p.ElapsedSeconds, "0.###"), N(p.TrainLoss, "0.#####"), N(p.ValidationLoss, "0.#####"), N(p.Perplexity, "0.####"), N(p.BitsPerChar, "0.#####"));
    }

    private static LossPoint? Parse(string line)
    {
        var f = line.Split(',');
        if (f.Length != 8) return null;
        static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        try
        {
            return new LossPoint(long.Parse(f[0], CultureInfo.InvariantCulture), D(f[1]), long.Parse(f[2], CultureInfo.InvariantCulture),
                D(f[3]), D(f[4]), f[5].Length == 0 ? null : D(f[5]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Plots training and validation loss against tokens seen, as a PNG (ScottPlot, rendered by SkiaSharp).</summary>
    public void SavePng(string path, string title)
    {
        var plot = new ScottPlot.Plot();
        var train = _points.Where(p => double.IsFinite(p.TrainLoss)).ToArray();
        if (train.Length > 0)
        {
            var s = plot.Add.Scatter(train.Select(p => (double)p.Tokens).ToArray(), train.Select(p => p.TrainLoss).ToArray());
            s.LegendText = "training loss (smoothed)";
            s.MarkerSize = 0;
            s.LineWidth = 2;
        }
        var validation = _points.Where(p => p.ValidationLoss is not null).ToArray();
        if (validation.Length > 0)
        {
            var s = plot.Add.Scatter(validation.Select(p => (double)p.Tokens).ToArray(), validation.Select(p => p.ValidationLoss!.Value).ToArray());
            s.LegendText = "validation loss";
            s.MarkerSize = 7;
            s.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel("characters trained on");
        plot.YLabel("cross-entropy (nats per character)");
        if (train.Length + validation.Length > 0) plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 540);
    }

    public void Dispose() => _csv?.Dispose();
}
