namespace RnnGen.Tests.Quantized;

/// <summary>
/// The products of a <see cref="QuantizedMatrix"/> on every path: within derived bounds of the double-precision
/// product, and each row's bits independent of the row range and of the batch it is computed with.
/// </summary>
public class QuantizedMatrixTests
{
    /// <summary>Shapes with columns short of a chunk, rows short of a panel, and both whole.</summary>
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 },
        { 5, 7, 3 },
        { 8, 32, 1 },
        { 13, 45, 2 },
        { 24, 64, 8 },
        { 37, 100, 5 },
        { 70, 257, 4 },
    };

    public static TheoryData<string, int, int, int> PathsAndShapes()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var path in QuantizedReference.Paths)
            foreach (var row in Shapes())
                data.Add(path.ToString(), (int)row[0], (int)row[1], (int)row[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndShapes))]
    public void Fp32_products_are_the_double_product_within_float_rounding(string path, int rows, int columns, int batch)
    {
        var w = QuantizedReference.Weights(rows, columns, 1);
        var x = QuantizedReference.Input(batch, columns, 2);
        var y = Product(Precision.Float32, Enum.Parse<QuantizedPath>(path), w, rows, columns, x, batch);
        for (int b = 0; b < batch; b++)
            for (int r = 0; r < rows; r++)
            {
                var wr = w.AsSpan(r * columns, columns);
                var xb = x.AsSpan(b * columns, columns);
                double bound = QuantizedReference.FloatBound(columns, QuantizedReference.AbsDot(wr, xb));
                Assert.True(Math.Abs(y[b * rows + r] - QuantizedReference.Dot(wr, xb)) <= bound, $"row {r}, batch row {b}");
            }
    }

    /// <summary>
    /// bf16: each stored weight is w rounded to 8 significant bits, so within 2^-8 |w| (half a unit of the 8th bit);
    /// the product is then the float product of the stored weights, and differs from the exact one by at most
    /// 2^-8 Σ|w x| plus the float rounding.
    /// </summary>
    [Theory]
    [MemberData(nameof(PathsAndShapes))]
    public void Bf16_products_are_within_the_rounding_of_their_weights(string path, int rows, int columns, int batch)
    {
        var w = QuantizedReference.Weights(rows, columns, 3);
        var x = QuantizedReference.Input(batch, columns, 4);
        var matrix = QuantizedMatrix.Create(w, rows, columns, Precision.BFloat16);
        var stored = QuantizedReference.Stored(matrix);
        for (int i = 0; i < w.Length; i++)
            Assert.True(Math.Abs(stored[i] - w[i]) <= Math.Pow(2, -8) * Math.Abs(w[i]), $"weight {i}");
        var y = new float[batch * rows];
        matrix.MultiplyRows(Enum.Parse<QuantizedPath>(path), x, batch, y, 0, rows);
        for (int b = 0; b < batch; b++)
            for (int r = 0; r < rows; r++)
            {
                var wr = w.AsSpan(r * columns, columns);
                var xb = x.AsSpan(b * columns, columns);
                double abs = QuantizedReference.AbsDot(wr, xb);
                double bound = Math.Pow(2, -8) * abs + QuantizedReference.FloatBound(columns, 1.01 * abs);
                Assert.True(Math.Abs(y[b * rows + r] - QuantizedReference.Dot(wr, xb)) <= bound, $"row {r}, batch row {b}");
            }
    }

    /// <summary>
    /// int8: a weight's code is within half its row's scale s = max|row| / 127 of w / s, and x's within half of x's
    /// scale t; the integer sums are exact, so |y - W x| &lt;= s/2 Σ|x| + t/2 Σ|w| + n s t / 4, plus the few roundings
    /// of the scales and the final multiply (the 1% and the 2^-20 Σ|w x| below).
    /// </summary>
    [Theory]
    [MemberData(nameof(PathsAndShapes))]
    public void Int8_products_are_within_the_quantization_of_weights_and_input(string path, int rows, int columns, int batch)
    {
        var w = QuantizedReference.Weights(rows, columns, 5);
        var x = QuantizedReference.Input(batch, columns, 6);
        var matrix = QuantizedMatrix.Create(w, rows, columns, Precision.Int8);
        var y = new float[batch * rows];
        matrix.MultiplyRows(Enum.Parse<QuantizedPath>(path), x, batch, y, 0, rows);
        int codeMax = QuantizedInput.Int8InputMax(matrix.PaddedColumns);
        for (int b = 0; b < batch; b++)
        {
            var xb = x.AsSpan(b * columns, columns);
            double t = xb.ToArray().Max(MathF.Abs) / codeMax;
            double sumX = xb.ToArray().Sum(v => Math.Abs((double)v));
            for (int r = 0; r < rows; r++)
            {
                var wr = w.AsSpan(r * columns, columns);
                double s = matrix.RowScale(r);
                double sumW = wr.ToArray().Sum(v => Math.Abs((double)v));
                double bound = 1.01 * (s / 2 * sumX + t / 2 * sumW + columns * s * t / 4) + Math.Pow(2, -20) * QuantizedReference.AbsDot(wr, xb);
                Assert.True(Math.Abs(y[b * rows + r] - QuantizedReference.Dot(wr, xb)) <= bound, $"row {r}, batch row {b}");
            }
        }
    }

    /// <summary>int8's integer sums are exact, so every path gives the same bits (the float paths need not).</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8_gives_the_same_bits_on_every_path(int rows, int columns, int batch)
    {
        var w = QuantizedReference.Weights(rows, columns, 7);
        var x = QuantizedReference.Input(batch, columns, 8);
        var scalar = Product(Precision.Int8, QuantizedPath.Scalar, w, rows, columns, x, batch);
        Assert.Equal(scalar, Product(Precision.Int8, QuantizedPath.Vector256, w, rows, columns, x, batch));
        Assert.Equal(scalar, Product(Precision.Int8, QuantizedPath.Vector512, w, rows, columns, x, batch));
    }

    /// <summary>
    /// A row's bits do not depend on the rows computed with it (ranges that cut panels, single rows), on the batch
    /// (row b alone against the whole batch), or on accumulating into zeros rather than writing.
    /// </summary>
    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    [InlineData(Precision.Int8)]
    public void A_row_has_the_same_bits_whatever_range_and_batch_it_is_computed_in(Precision precision)
    {
        const int rows = 45, columns = 77, batch = 5;
        var w = QuantizedReference.Weights(rows, columns, 9);
        var x = QuantizedReference.Input(batch, columns, 10);
        var matrix = QuantizedMatrix.Create(w, rows, columns, precision);
        foreach (var path in QuantizedReference.Paths)
        {
            var whole = new float[batch * rows];
            matrix.MultiplyRows(path, x, batch, whole, 0, rows);
            var pieces = new float[batch * rows];
            int[] cuts = [0, 3, 8, 9, 21, 24, 40, 41, 45];
            for (int i = 0; i + 1 < cuts.Length; i++)
                matrix.MultiplyRows(path, x, batch, pieces, cuts[i], cuts[i + 1], accumulate: true);
            Assert.Equal(whole, pieces);
            for (int b = 0; b < batch; b++)
            {
                var one = new float[rows];
                matrix.MultiplyRows(path, x.AsSpan(b * columns, columns), 1, one, 0, rows);
                Assert.Equal(whole.AsSpan(b * rows, rows).ToArray(), one);
            }
        }
    }

    [Fact]
    public void Accumulating_adds_the_product_to_y_and_rows_outside_the_range_stay()
    {
        const int rows = 20, columns = 40;
        var w = QuantizedReference.Weights(rows, columns, 11);
        var x = QuantizedReference.Input(1, columns, 12);
        var matrix = QuantizedMatrix.Create(w, rows, columns, Precision.Float32);
        var product = new float[rows];
        matrix.Multiply(x, 1, product);
        var y = Enumerable.Range(0, rows).Select(i => (float)i).ToArray();
        matrix.MultiplyRows(x, 1, y, 4, 17, accumulate: true);
        for (int r = 0; r < rows; r++)
            Assert.Equal(r is >= 4 and < 17 ? r + product[r] : r, y[r]);
    }

    /// <summary>A subset of rows in the caller's order multiplies exactly as those rows of the whole matrix do.</summary>
    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    [InlineData(Precision.Int8)]
    public void A_matrix_of_chosen_rows_gives_those_rows_of_the_whole_product(Precision precision)
    {
        // A core's share of a GRU's stacked gate weights: hidden columns [5, 12) of each of 3 gates, gate by gate.
        const int hidden = 19, columns = 50;
        int rows = 3 * hidden;
        int[] indices = [.. from g in Enumerable.Range(0, 3) from j in Enumerable.Range(5, 7) select g * hidden + j];
        var w = QuantizedReference.Weights(rows, columns, 13);
        var x = QuantizedReference.Input(2, columns, 14);
        var whole = new float[2 * rows];
        QuantizedMatrix.Create(w, rows, columns, precision).Multiply(x, 2, whole);
        var subset = QuantizedMatrix.Create(w, rows, columns, precision, indices);
        Assert.Equal(indices.Length, subset.Rows);
        var y = new float[2 * indices.Length];
        subset.Multiply(x, 2, y);
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < indices.Length; i++)
                Assert.Equal(whole[b * rows + indices[i]], y[b * indices.Length + i]);
    }

    [Fact]
    public void An_int8_zero_row_gives_zero_and_a_row_with_one_large_value_keeps_it()
    {
        const int columns = 70;
        var w = new float[3 * columns];
        // Row 1: small values and one large one, which sets the scale; the small ones then round to 0 or 1 codes.
        for (int c = 0; c < columns; c++)
            w[columns + c] = 0.001f * (c % 5 - 2);
        w[columns + 33] = 50;
        // Row 2: an ordinary row, to see that row 1's scale is its own.
        for (int c = 0; c < columns; c++)
            w[2 * columns + c] = 0.01f * (c % 7 - 3);
        var x = QuantizedReference.Input(1, columns, 15);
        var matrix = QuantizedMatrix.Create(w, 3, columns, Precision.Int8);
        Assert.Equal(0, matrix.RowScale(0));
        Assert.Equal(50f / 127, matrix.RowScale(1));
        Assert.Equal(0.01f * 3 / 127, matrix.RowScale(2));
        Assert.Equal(50f, matrix.StoredWeight(1, 33));
        foreach (var path in QuantizedReference.Paths)
        {
            var y = new float[3];
            matrix.MultiplyRows(path, x, 1, y, 0, 3);
            Assert.Equal(0, y[0]);
            // The large value's product survives to within its input's code (x's scale times 50), the rest is lost in its scale.
            double t = x.Max(MathF.Abs) / (double)QuantizedInput.Int8InputMax(matrix.PaddedColumns);
            double smallOnes = Enumerable.Range(0, columns).Where(c => c != 33).Sum(c => Math.Abs((double)w[columns + c] * x[c]));
            Assert.True(Math.Abs(y[1] - 50.0 * x[33]) <= smallOnes + 50 * t + 1e-5, $"{path}: {y[1]} against {50.0 * x[33]}");
            double exact2 = QuantizedReference.Dot(w.AsSpan(2 * columns, columns), x);
            Assert.True(Math.Abs(y[2] - exact2) <= 0.03 / 127 / 2 * x.Sum(v => Math.Abs((double)v)) * 1.01 + 1e-5, $"{path}: row 2");
        }
    }

    [Fact]
    public void Non_finite_inputs_give_nan_under_int8_and_propagate_under_float()
    {
        const int rows = 9, columns = 33;
        var w = QuantizedReference.Weights(rows, columns, 16);
        var x = QuantizedReference.Input(2, columns, 17);
        x[5] = float.NaN;
        x[columns + 32] = float.PositiveInfinity;
        foreach (var precision in new[] { Precision.Int8, Precision.Float32, Precision.BFloat16 })
            foreach (var path in QuantizedReference.Paths)
            {
                var y = new float[2 * rows];
                QuantizedMatrix.Create(w, rows, columns, precision).MultiplyRows(path, x, 2, y, 0, rows);
                Assert.All(y.AsSpan(0, rows).ToArray(), v => Assert.True(float.IsNaN(v)));
                Assert.All(y.AsSpan(rows).ToArray(), v => Assert.False(float.IsFinite(v)));
            }
    }

    [Fact]
    public void Bad_shapes_and_weights_are_refused_naming_what_is_wrong()
    {
        var w = new float[12];
        Assert.Contains("3 x 5 = 15", Assert.Throws<ArgumentException>(() => QuantizedMatrix.Create(w, 3, 5, Precision.Float32)).Message);
        Assert.Contains("Row index 1 is 4", Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMatrix.Create(w, 3, 4, Precision.Int8, [0, 4])).Message);
        w[6] = float.PositiveInfinity;
        Assert.Contains("row 1, column 2", Assert.Throws<ArgumentException>(() => QuantizedMatrix.Create(w, 3, 4, Precision.Int8)).Message);
        Assert.Contains("columns", Assert.Throws<ArgumentException>(() => QuantizedMatrix.Create(new float[QuantizedMatrix.MaxInt8Columns + 1], 1, QuantizedMatrix.MaxInt8Columns + 1, Precision.Int8)).Message);
        var m = QuantizedMatrix.Create(new float[12], 3, 4, Precision.Float32);
        Assert.Contains("x holds 5", Assert.Throws<ArgumentException>(() => m.Multiply(new float[5], 1, new float[3])).Message);
        Assert.Contains("y holds 4", Assert.Throws<ArgumentException>(() => m.Multiply(new float[8], 2, new float[4])).Message);
        Assert.Contains("[2, 4)", Assert.Throws<ArgumentOutOfRangeException>(() => m.MultiplyRows(new float[4], 1, new float[3], 2, 4)).Message);
    }

    /// <summary>A bf16 NaN weight stays NaN (its row's outputs NaN), rather than rounding into infinity.</summary>
    [Fact]
    public void A_nan_weight_is_kept_under_bf16()
    {
        var w = QuantizedReference.Weights(2, 10, 18);
        w[3] = float.NaN;
        var m = QuantizedMatrix.Create(w, 2, 10, Precision.BFloat16);
        Assert.True(float.IsNaN(m.StoredWeight(0, 3)));
        var y = new float[2];
        m.Multiply(QuantizedReference.Input(1, 10, 19), 1, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.True(float.IsFinite(y[1]));
    }

    private static float[] Product(Precision precision, QuantizedPath path, float[] w, int rows, int columns, float[] x, int batch)
    {
        var y = new float[batch * rows];
        QuantizedMatrix.Create(w, rows, columns, precision).MultiplyRows(path, x, batch, y, 0, rows);
        return y;
    }
}
