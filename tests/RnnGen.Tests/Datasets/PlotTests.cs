using RnnGen.Datasets.Plots;

namespace RnnGen.Tests.Datasets;

/// <summary>The plots write PNG files of a size that follows their content, and refuse inconsistent input.</summary>
public sealed class PlotTests : IDisposable
{
    private readonly DocumentationFolder _folder = new(); // any temporary folder will do

    public void Dispose() => _folder.Dispose();

    private string File(string name) => Path.Combine(_folder.Path, name);

    // Width and height from the PNG header (IHDR follows the 8-byte signature and the chunk's length and type).
    private static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)),
            System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void A_heat_map_grows_with_its_cells_within_bounds()
    {
        static double[,] Matrix(int rows, int columns)
        {
            var values = new double[rows, columns];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) values[r, c] = Math.Sin(r + 0.3 * c);
            return values;
        }
        static string[] Labels(string prefix, int n) => Enumerable.Range(0, n).Select(i => prefix + i).ToArray();

        HeatMapPlot.Save(File("small.png"), Matrix(3, 4), Labels("r", 3), Labels("c", 4), "Small", "x", "y", "value", annotate: true);
        HeatMapPlot.Save(File("large.png"), Matrix(40, 60), Labels("row ", 40), Labels("column ", 60), "Large", "x", "y", "value");
        HeatMapPlot.Save(File("huge.png"), Matrix(300, 400), Labels("r", 300), Labels("c", 400), "Huge", "x", "y", "value");

        var small = PngSize(File("small.png"));
        var large = PngSize(File("large.png"));
        var huge = PngSize(File("huge.png"));
        Assert.True(large.Width > small.Width && large.Height > small.Height, $"{small} then {large}");
        Assert.InRange(small.Width, 300, 900);
        Assert.InRange(huge.Width, 1000, 2600);
        Assert.InRange(huge.Height, 1000, 2600);
    }

    [Fact]
    public void A_heat_map_refuses_labels_that_do_not_match_its_cells()
    {
        var values = new double[2, 3];
        var error = Assert.Throws<ArgumentException>(() =>
            HeatMapPlot.Save(File("bad.png"), values, ["a", "b"], ["x", "y"], "t", "x", "y", "v"));
        Assert.Contains("2 column labels for 3 columns", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HeatMapPlot.Save(File("empty.png"), new double[0, 0], [], [], "t", "x", "y", "v"));
    }

    [Fact]
    public void Cell_texts_are_integers_or_two_decimals()
    {
        Assert.Equal(new[,] { { "1", "20" }, { "", "-3" } }, HeatMapPlot.FormatValues(new[,] { { 1.0, 20 }, { double.NaN, -3 } }));
        Assert.Equal(new[,] { { "0.50", "0.13" } }, HeatMapPlot.FormatValues(new[,] { { 0.5, 0.125 } }));
    }

    [Theory]
    [InlineData(0, 1, "0 0.25 0.5 0.75 1")]
    [InlineData(0, 0.955, "0 0.25 0.5 0.75")]
    [InlineData(-0.997, 0.999, "-0.75 -0.5 -0.25 0 0.25 0.5 0.75")]
    [InlineData(0, 900, "0 250 500 750")]
    [InlineData(3, 3, "3")]
    public void Colour_scale_ticks_are_round(double min, double max, string expected) =>
        Assert.Equal(expected, string.Join(' ', ScaleTicks.For(min, max).Labels));

    [Fact]
    public void A_confusion_matrix_and_a_forecast_are_drawn()
    {
        ConfusionMatrixPlot.Save(File("confusion.png"), new[,] { { 5, 1, 0 }, { 2, 7, 1 }, { 0, 0, 0 } }, ["alpha", "beta", "gamma"], "Test");
        Assert.True(PngSize(File("confusion.png")).Width > 300);
        Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Save(File("bad.png"), new int[2, 3], ["a", "b"], "Test"));
        Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Save(File("bad.png"), new int[2, 2], ["a"], "Test"));

        float[] truth = Enumerable.Range(0, 100).Select(t => MathF.Sin(t * 0.2f)).ToArray();
        float[] forecast = truth.Select(v => v * 0.9f).ToArray();
        ForecastPlot.Save(File("forecast.png"), truth, forecast, truth.Select(v => v + 0.1f).ToArray(), "Forecast");
        ForecastPlot.Save(File("forecast-no-input.png"), truth, forecast, null, "Forecast");
        Assert.True(PngSize(File("forecast.png")).Width >= 800);
        Assert.True(System.IO.File.Exists(File("forecast-no-input.png")));
    }
}
