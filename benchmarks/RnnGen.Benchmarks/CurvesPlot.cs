using System.Globalization;

namespace RnnGen.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- curves OUT.png TITLE RUN...`: the validation loss
/// of several training runs against minutes of training, in one PNG, each RUN a folder that `rnngen train --out`
/// wrote (its loss.csv), named in the legend by the folder's name. For runs of one time budget side by side.
/// </summary>
public static class CurvesPlot
{
    public static void Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: curves OUT.png TITLE RUN_FOLDER...");
            Environment.Exit(2);
        }
        var plot = new ScottPlot.Plot();
        foreach (string run in args.Skip(2))
        {
            string csv = Path.Combine(run, "loss.csv");
            if (!File.Exists(csv))
            {
                Console.Error.WriteLine($"{csv}: not found (a run folder holds the loss.csv that training wrote).");
                Environment.Exit(2);
            }
            // step,epoch,tokens,elapsed_s,train_loss,val_loss,...: the rows with a validation loss.
            var points = File.ReadLines(csv).Skip(1).Select(line => line.Split(','))
                .Where(f => f.Length == 8 && f[5].Length > 0)
                .Select(f => (Minutes: double.Parse(f[3], CultureInfo.InvariantCulture) / 60, Loss: double.Parse(f[5], CultureInfo.InvariantCulture)))
                .ToArray();
            var line = plot.Add.Scatter(points.Select(p => p.Minutes).ToArray(), points.Select(p => p.Loss).ToArray());
            line.LegendText = Path.GetFileName(Path.TrimEndingDirectorySeparator(run));
            line.MarkerSize = 5;
            line.LineWidth = 2;
        }
        plot.Title(args[1]);
        plot.XLabel("minutes of training");
        plot.YLabel("validation loss (nats per character)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(args[0], 900, 540);
        Console.WriteLine($"wrote {args[0]}");
    }
}
