using ScottPlot;

namespace RnnGen.Datasets.Plots;

/// <summary>
/// How <see cref="HeatMapPlot"/> draws one heat map: its texts, what each cell says (none when
/// <see cref="CellTexts"/> is null), and the colour scale (default: viridis over the data's range).
/// </summary>
internal sealed record HeatMapStyle(string Title, string XLabel, string YLabel, string ColorBarLabel, string[,]? CellTexts = null,
    IColormap? Colormap = null, ScottPlot.Range? Range = null);
