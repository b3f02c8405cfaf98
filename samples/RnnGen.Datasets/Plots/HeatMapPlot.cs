using System.Globalization;
using ScottPlot;

namespace RnnGen.Datasets.Plots;

/// <summary>
/// A heat map of a matrix as a PNG (ScottPlot, rendered by SkiaSharp): one cell per value, every row and column
/// labelled with its text on the axes, a colour bar for the scale, and optionally each value written in its cell.
/// The image is sized from the number of rows and columns, so cells and labels stay readable; only when there are
/// so many that cells are smaller than a line of text is just every k-th row and column labelled.
/// </summary>
public static class HeatMapPlot
{
    /// <summary>
    /// Saves the heat map of <paramref name="values"/> (rows × columns; row 0 at the top, column 0 on the left)
    /// to <paramref name="path"/>. The colour scale spans the smallest to the largest value; NaN cells are grey.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="values">The cell values, rows × columns.</param>
    /// <param name="rowLabels">One label per row, shown on the left axis.</param>
    /// <param name="columnLabels">One label per column, shown on the bottom axis (turned to read downwards when long).</param>
    /// <param name="title">The title above the map.</param>
    /// <param name="xLabel">The caption of the bottom axis (what the columns are).</param>
    /// <param name="yLabel">The caption of the left axis (what the rows are).</param>
    /// <param name="colorBarLabel">The caption of the colour bar (what the values are).</param>
    /// <param name="annotate">Write each value in its cell (integers as they are, other values to two decimals), as for a confusion matrix.</param>
    public static void Save(string path, double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        string title, string xLabel, string yLabel, string colorBarLabel, bool annotate = false)
    {
        string[,]? cellTexts = annotate ? FormatValues(values) : null;
        Save(path, values, rowLabels, columnLabels, new HeatMapStyle(title, xLabel, yLabel, colorBarLabel, cellTexts));
    }

    /// <summary>
    /// Saves the heat map of <paramref name="values"/> with <paramref name="cellTexts"/> written in the cells (rows ×
    /// columns, like the values; null or empty for none): a word or a character per cell instead of its value.
    /// </summary>
    public static void Save(string path, double[,] values, string[,] cellTexts, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        string title, string xLabel, string yLabel, string colorBarLabel)
    {
        ArgumentNullException.ThrowIfNull(cellTexts);
        Save(path, values, rowLabels, columnLabels, new HeatMapStyle(title, xLabel, yLabel, colorBarLabel, cellTexts));
    }

    /// <summary>Saves a heat map drawn as <paramref name="style"/> says (the overload above fills it from its arguments).</summary>
    internal static void Save(string path, double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, HeatMapStyle style)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException("The heat map has no cells.", nameof(values));
        }
        CheckCount(rowLabels.Count, rows, "row", nameof(rowLabels));
        CheckCount(columnLabels.Count, columns, "column", nameof(columnLabels));
        if (style.CellTexts is { } texts && (texts.GetLength(0) != rows || texts.GetLength(1) != columns))
        {
            throw new ArgumentException($"{texts.GetLength(0)} x {texts.GetLength(1)} cell texts for {rows} x {columns} cells.", nameof(style));
        }

        var (rowFont, rowText) = PlotFonts.Resolve(rowLabels);
        var (columnFont, columnText) = PlotFonts.Resolve(columnLabels);
        var (titleFont, titleTexts) = PlotFonts.Resolve([style.Title, style.XLabel, style.YLabel, style.ColorBarLabel]);
        var (min, max) = style.Range is { } manual ? (manual.Min, manual.Max) : Extremes(values);
        var (scaleTicks, scaleText) = ScaleTicks.For(min, max);
        var layout = HeatMapLayout.For(rows, columns, rowText, rowFont, columnText, columnFont, scaleText, style.CellTexts is not null,
            titleTexts[0], titleFont);

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = style.Colormap ?? new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(min, max);
        heatmap.NaNCellColor = Colors.LightGray;
        // Cell (r, c) covers x in [c, c+1] and y in [rows-r-1, rows-r]: row 0 at the top, as the matrix is written.
        heatmap.Rectangle = new CoordinateRect(0, columns, 0, rows);

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Width = HeatMapLayout.ColorBarWidth;
        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(scaleTicks, scaleText);
        colorBar.Axis.TickLabelStyle.FontSize = layout.TickFontSize;
        colorBar.Axis.Label.Text = titleTexts[3];
        colorBar.Axis.Label.FontName = titleFont;
        colorBar.Axis.Label.FontSize = HeatMapLayout.AxisLabelFontSize;

        int[] labelledColumns = Enumerable.Range(0, columns).Where(c => c % layout.LabelStride == 0).ToArray();
        int[] labelledRows = Enumerable.Range(0, rows).Where(r => r % layout.LabelStride == 0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            labelledColumns.Select(c => c + 0.5).ToArray(), labelledColumns.Select(c => columnText[c]).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            labelledRows.Select(r => rows - r - 0.5).ToArray(), labelledRows.Select(r => rowText[r]).ToArray());
        StyleTicks(plot.Axes.Bottom.TickLabelStyle, columnFont, layout.TickFontSize);
        StyleTicks(plot.Axes.Left.TickLabelStyle, rowFont, layout.TickFontSize);
        if (layout.RotateColumnLabels)
        {
            // Long column labels read downwards from the axis instead of overlapping their neighbours.
            plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            // The axis makes room for labels as if they were level: move its caption below the turned ones.
            if (plot.Axes.Bottom is ScottPlot.AxisPanels.AxisBase bottom)
            {
                bottom.LabelOffsetY = layout.ColumnLabelDrop;
            }
        }
        plot.Axes.Bottom.MajorTickStyle.Length = 3;
        plot.Axes.Left.MajorTickStyle.Length = 3;

        plot.Title(titleTexts[0], HeatMapLayout.TitleFontSize);
        plot.XLabel(titleTexts[1], HeatMapLayout.AxisLabelFontSize);
        plot.YLabel(titleTexts[2], HeatMapLayout.AxisLabelFontSize);
        plot.Axes.Title.Label.FontName = titleFont;
        plot.Axes.Bottom.Label.FontName = titleFont;
        plot.Axes.Left.Label.FontName = titleFont;
        plot.HideGrid();
        plot.Axes.SetLimits(0, columns, 0, rows);
        // Margins measured from the labels, so the cells come out square and no label is cut off.
        plot.Layout.Fixed(layout.Padding);

        if (style.CellTexts is { } cellTexts)
        {
            Annotate(plot, heatmap, values, cellTexts, layout.CellFontSize);
        }
        plot.SavePng(path, layout.Width, layout.Height);
    }

    /// <summary>Cell texts for <paramref name="values"/>: integers as they are, other numbers to two decimals, NaN empty.</summary>
    internal static string[,] FormatValues(double[,] values)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        bool integers = values.Cast<double>().All(v => double.IsNaN(v) || (Math.Abs(v) < 1e9 && v == Math.Round(v)));
        var texts = new string[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double v = values[r, c];
                texts[r, c] = double.IsNaN(v) ? "" : v.ToString(integers ? "0" : "0.00", CultureInfo.InvariantCulture);
            }
        }
        return texts;
    }

    // Writes each cell's text at its centre, dark on light cells and light on dark ones.
    private static void Annotate(Plot plot, ScottPlot.Plottables.Heatmap heatmap, double[,] values, string[,] texts, float fontSize)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var (min, max) = (heatmap.ManualRange!.Value.Min, heatmap.ManualRange.Value.Max); // set by Save
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                if (string.IsNullOrEmpty(texts[r, c]))
                {
                    continue;
                }
                double fraction = max > min ? (values[r, c] - min) / (max - min) : 0.5;
                Color background = double.IsNaN(fraction) ? Colors.LightGray : heatmap.Colormap.GetColor(Math.Clamp(fraction, 0, 1));
                var text = plot.Add.Text(texts[r, c], c + 0.5, rows - r - 0.5);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = fontSize;
                text.LabelBold = true;
                text.LabelFontColor = Luminance(background) > 0.5 ? Colors.Black : Colors.White;
            }
        }
    }

    // The smallest and largest finite value; a constant matrix gets a scale one unit wide so colours stay defined.
    private static (double Min, double Max) Extremes(double[,] values)
    {
        var finite = values.Cast<double>().Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return (0, 1);
        }
        double min = finite.Min(), max = finite.Max();
        return max > min ? (min, max) : (min - 0.5, max + 0.5);
    }

    // Relative luminance (Rec. 709 weights on the sRGB values): good enough to choose black or white text.
    private static double Luminance(Color color) => (0.2126 * color.R + 0.7152 * color.G + 0.0722 * color.B) / 255;

    private static void StyleTicks(LabelStyle style, string fontName, float fontSize)
    {
        style.FontName = fontName;
        style.FontSize = fontSize;
    }

    private static void CheckCount(int labels, int cells, string what, string parameter)
    {
        if (labels != cells)
        {
            throw new ArgumentException($"{labels} {what} labels for {cells} {what}s.", parameter);
        }
    }
}
