namespace RnnGen.Tests.Inference;

/// <summary>Bad arguments to a session get a clear message naming the argument, the row and the value, and change nothing.</summary>
public class SessionArgumentTests
{
    private static readonly LanguageModel Model = SessionFixtures.Create("gru", vocab: 10);

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_batch_size_below_one_is_refused(int batchSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.CreateSession(batchSize));
        Assert.Equal("batchSize", e.ParamName);
        Assert.Contains("at least one row", e.Message);
    }

    [Theory]
    [InlineData(Precision.BFloat16)]
    [InlineData(Precision.Int8)]
    public void A_quantized_session_reports_its_precision_and_runs_fused(Precision precision)
    {
        using var session = Model.CreateSession(2, precision);
        Assert.Equal(precision, session.Precision);
        Assert.True(session.Fused);
    }

    [Fact]
    public void An_undefined_precision_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.CreateSession(1, (Precision)42));
        Assert.Equal("precision", e.ParamName);
    }

    [Fact]
    public void Wrong_lengths_name_the_span_and_both_sizes()
    {
        using var session = Model.CreateSession(3);
        var e = Assert.Throws<ArgumentException>(() => session.Step([1, 2], new float[30]));
        Assert.Equal("tokens", e.ParamName);
        Assert.Contains("2 ids", e.Message);
        Assert.Contains("3 rows", e.Message);

        e = Assert.Throws<ArgumentException>(() => session.Step([1, 2, 3], new float[29]));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("29", e.Message);
        Assert.Contains("[3 rows, 10 tokens]", e.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-1)]
    public void A_token_outside_the_vocabulary_names_its_row_and_value_and_advances_nothing(int bad)
    {
        using var session = Model.CreateSession(3);
        var logits = new float[30];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => session.Step([1, bad, 3], logits));
        Assert.Equal("tokens", e.ParamName);
        Assert.Contains("Row 1", e.Message);
        Assert.Contains($"token id {bad}", e.Message);
        Assert.Contains("0..9", e.Message);

        // Nothing moved: the next step is a fresh session's first.
        session.Step([1, 2, 3], logits);
        Assert.Equal(SessionFixtures.TokenByToken(Model, [1, 2, 3], 3, 1), logits);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void A_row_outside_the_batch_is_refused_by_reset(int row)
    {
        using var session = Model.CreateSession(3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => session.Reset(row));
        Assert.Equal("row", e.ParamName);
        Assert.Contains("rows 0..2", e.Message);
    }

    [Fact]
    public void A_disposed_session_refuses_every_call()
    {
        var session = Model.CreateSession(1);
        session.Dispose();
        session.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => session.Step([1], new float[10]));
        Assert.Throws<ObjectDisposedException>(() => session.Reset(0));
        Assert.Throws<ObjectDisposedException>(() => session.Reset());
    }

    [Fact]
    public void A_session_reports_its_shape()
    {
        using var session = Model.CreateSession(4);
        Assert.Equal(4, session.BatchSize);
        Assert.Equal(10, session.VocabSize);
        Assert.Equal(Precision.Float32, session.Precision);
    }
}
