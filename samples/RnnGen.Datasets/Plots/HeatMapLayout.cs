using ScottPlot;

namespace RnnGen.Datasets.Plots;

/// <summary>
/// The pixel geometry of a heat map image: square cells as large as fit a figure of moderate size (and large
/// enough for a cell text), clamped so that a 2 × 2 matrix does not fill a poster and a 60 × 60 one stays legible,
/// and margins measured from the labels so that none is cut off.
/// </summary>
/// <remarks>
/// <see cref="ColumnLabelDrop"/>: how much lower than usual the bottom axis caption goes, below turned column
/// labels. <see cref="LabelStride"/>: 1 when every row and column gets its label, k when cells came out smaller
/// than a line of text and only every k-th is labelled (labels on top of each other would help nobody).
/// </remarks>
internal sealed record HeatMapLayout(int Width, int Height, PixelPadding Padding, float TickFontSize, float CellFontSize, bool RotateColumnLabels,
    float ColumnLabelDrop, int LabelStride)
{
    private const int MinCell = 12, MaxCell = 72, AnnotatedMinCell = 34;
    private const int TargetSide = 640; // pixels along the longer side of the cells, before clamping
    private const int MaxSide = 2600;
    public const float TitleFontSize = 16, AxisLabelFontSize = 14;

    // The labels are measured in the fonts they will be drawn in; scaleLabels are the colour bar's tick labels.
    public static HeatMapLayout For(int rows, int columns, IReadOnlyList<string> rowLabels, string rowFont,
        IReadOnlyList<string> columnLabels, string columnFont, IReadOnlyList<string> scaleLabels, bool annotated, string title, string titleFont)
    {
        int cell = Math.Clamp(TargetSide / Math.Max(rows, columns), annotated ? AnnotatedMinCell : MinCell, MaxCell);
        float tickFont = Math.Clamp(cell * 0.5f, 10, 15);
        float rowWidth = PlotFonts.MaxWidth(rowFont, tickFont, rowLabels);
        float columnWidth = PlotFonts.MaxWidth(columnFont, tickFont, columnLabels);
        // Column labels that would not fit under their cell side by side are turned to read downwards.
        bool rotate = columnWidth > cell * 0.92f;
        float scaleWidth = PlotFonts.MaxWidth(Fonts.Default, tickFont, scaleLabels);

        const int tick = 8, gap = 12;
        int axisLabel = (int)(AxisLabelFontSize * 1.6f);
        int left = (int)rowWidth + tick + axisLabel + gap;
        int bottom = (int)(rotate ? columnWidth : tickFont * 1.4f) + tick + axisLabel + gap;
        int top = (int)(TitleFontSize * 2.6f);
        int right = gap + ColorBarWidth + tick + (int)scaleWidth + axisLabel + gap;

        // A very wide or tall matrix gets smaller cells rather than an image too large to open comfortably.
        int fit = Math.Min((MaxSide - left - right) / columns, (MaxSide - top - bottom) / rows);
        cell = Math.Max(4, Math.Min(cell, fit));
        float cellFont = Math.Clamp(cell * 0.32f, 8, 16);
        int stride = Math.Max(1, (int)Math.Ceiling(tickFont * 1.25f / cell));
        // A narrow map widens its margins evenly until the (bold) title fits above it.
        int shortfall = (int)(PlotFonts.MaxWidth(titleFont, TitleFontSize * 1.15f, [title]) + 4 * gap) - (left + columns * cell + right);
        if (shortfall > 0)
        {
            left += shortfall / 2;
            right += shortfall - shortfall / 2;
        }
        return new HeatMapLayout(left + columns * cell + right, top + rows * cell + bottom,
            new PixelPadding(left, right, bottom, top), tickFont, cellFont, rotate, rotate ? columnWidth - tickFont * 1.2f : 0, stride);
    }

    /// <summary>The thickness of the colour bar, in pixels.</summary>
    public const int ColorBarWidth = 22;
}
