using System.Globalization;

namespace RnnGen;

/// <summary>
/// How many threads RnnGen may use, for products, fused passes and batch splits alike. Results do not
/// depend on it: every reduction sums in an order fixed by the shapes alone, so losses, gradients and
/// trained parameters are the same bits on any number of threads.
/// </summary>
public static class Parallelism
{
    /// <summary>The environment variable read once, at start, for the initial <see cref="MaxThreads"/>.</summary>
    public const string EnvironmentVariable = "RNNGEN_THREADS";

    private static int s_maxThreads = FromEnvironment(Environment.GetEnvironmentVariable(EnvironmentVariable), Console.Error);

    /// <summary>
    /// The most threads RnnGen uses (default: <see cref="Environment.ProcessorCount"/>, or the positive
    /// integer in <c>RNNGEN_THREADS</c>); 1 keeps all work on the calling thread. A count above the core
    /// count is honoured (the threads then share the cores), so tests can force any split.
    /// </summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set => s_maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one thread.");
    }

    /// <summary>
    /// The initial thread count from the variable's text: a positive integer, or the processor count when
    /// unset. Anything else is ignored with one line on <paramref name="warnings"/> rather than thrown: a bad
    /// setting should not stop a program that only wanted to train at the default speed.
    /// </summary>
    internal static int FromEnvironment(string? value, TextWriter warnings)
    {
        if (string.IsNullOrWhiteSpace(value))
            return Environment.ProcessorCount;
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int threads) && threads >= 1)
            return threads;
        warnings.WriteLine($"RnnGen: ignoring {EnvironmentVariable}='{value}' (expected a positive whole number of threads); using {Environment.ProcessorCount}.");
        return Environment.ProcessorCount;
    }
}
