using System.Globalization;

namespace RnnGen.Datasets.Plots;

/// <summary>
/// A confusion matrix as a PNG: rows are the true classes, columns the predicted ones, each cell holds its count
/// and is coloured by the fraction of its row (so a rare class that is mostly right looks as right as a common
/// one). The title adds the overall accuracy.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Saves the matrix <paramref name="counts"/>[true class, predicted class] to <paramref name="path"/>.</summary>
    public static void Save(string path, int[,] counts, IReadOnlyList<string> classNames, string title)
    {
        int classes = counts.GetLength(0);
        if (counts.GetLength(1) != classes)
        {
            throw new ArgumentException($"A confusion matrix is square; this one is {classes} x {counts.GetLength(1)}.", nameof(counts));
        }
        if (classNames.Count != classes)
        {
            throw new ArgumentException($"{classNames.Count} class names for {classes} classes.", nameof(classNames));
        }
        var fractions = new double[classes, classes];
        var texts = new string[classes, classes];
        long total = 0, correct = 0;
        for (int t = 0; t < classes; t++)
        {
            long rowTotal = 0;
            for (int p = 0; p < classes; p++)
            {
                rowTotal += counts[t, p];
            }
            for (int p = 0; p < classes; p++)
            {
                // A class never seen has no fractions: its row stays grey.
                fractions[t, p] = rowTotal > 0 ? (double)counts[t, p] / rowTotal : double.NaN;
                texts[t, p] = counts[t, p].ToString(CultureInfo.InvariantCulture);
            }
            total += rowTotal;
            correct += counts[t, t];
        }
        string accuracy = total > 0 ? ((double)correct / total).ToString("P1", CultureInfo.InvariantCulture) : "n/a";
        var style = new HeatMapStyle($"{title} (accuracy {accuracy} of {total:N0})", "predicted class", "true class",
            "fraction of the true class", texts, new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues()), new ScottPlot.Range(0, 1));
        HeatMapPlot.Save(path, fractions, classNames, classNames, style);
    }
}
