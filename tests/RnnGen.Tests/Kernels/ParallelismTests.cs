namespace RnnGen.Tests.Kernels;

/// <summary>The one thread setting and how RNNGEN_THREADS sets it at start.</summary>
public class ParallelismTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("8", 8)]
    [InlineData(" 3 ", 3)]
    public void A_positive_count_in_the_variable_is_taken_as_is_even_above_the_cores(string value, int expected)
    {
        var warnings = new StringWriter();
        Assert.Equal(expected, Parallelism.FromEnvironment(value, warnings));
        Assert.Equal("", warnings.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void An_unset_variable_means_every_core(string? value)
    {
        var warnings = new StringWriter();
        Assert.Equal(Environment.ProcessorCount, Parallelism.FromEnvironment(value, warnings));
        Assert.Equal("", warnings.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("four")]
    [InlineData("2.5")]
    public void A_bad_value_is_ignored_with_one_line_naming_the_variable(string value)
    {
        var warnings = new StringWriter();
        Assert.Equal(Environment.ProcessorCount, Parallelism.FromEnvironment(value, warnings));
        string text = warnings.ToString();
        Assert.Contains("RNNGEN_THREADS", text);
        Assert.Contains($"'{value}'", text);
        Assert.Equal(1, text.Count(c => c == '\n'));
    }

    [Fact]
    public void Less_than_one_thread_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
    }
}
