namespace RnnGen.Training;

/// <summary>
/// A batch of token windows for a language model: <see cref="Inputs"/> and <see cref="Targets"/> are both
/// row-major <c>[BatchSize, Steps]</c>; row <c>b</c> is one sequence and <c>Targets[b, t]</c> is the token that
/// follows <c>Inputs[b, t]</c>. The constructor checks the shapes and that no id is negative; it does not copy
/// the arrays, so a batcher may refill them in place (see <see cref="LanguageModelBatches"/>).
/// </summary>
public sealed record TokenBatch
{
    public TokenBatch(int[] inputs, int[] targets, int batchSize, int steps)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        long size = (long)batchSize * steps;
        if (inputs.Length != size)
            throw new ArgumentException($"Inputs hold {inputs.Length} ids but [batchSize {batchSize}, steps {steps}] needs {size}.", nameof(inputs));
        if (targets.Length != size)
            throw new ArgumentException($"Targets hold {targets.Length} ids but [batchSize {batchSize}, steps {steps}] needs {size}.", nameof(targets));
        CheckIds(inputs, nameof(inputs));
        CheckIds(targets, nameof(targets));
        Inputs = inputs;
        Targets = targets;
        BatchSize = batchSize;
        Steps = steps;
    }

    /// <summary>Token ids, row-major <c>[BatchSize, Steps]</c>.</summary>
    public int[] Inputs { get; }
    /// <summary>The id that follows each input, row-major <c>[BatchSize, Steps]</c>.</summary>
    public int[] Targets { get; }
    public int BatchSize { get; }
    public int Steps { get; }

    /// <summary>The input id at row <paramref name="row"/>, time step <paramref name="step"/>.</summary>
    public int Input(int row, int step) => Inputs[Index(row, step)];
    /// <summary>The target id at row <paramref name="row"/>, time step <paramref name="step"/>.</summary>
    public int Target(int row, int step) => Targets[Index(row, step)];

    public void Deconstruct(out int[] inputs, out int[] targets, out int batchSize, out int steps) =>
        (inputs, targets, batchSize, steps) = (Inputs, Targets, BatchSize, Steps);

    private int Index(int row, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, Steps);
        return row * Steps + step;
    }

    private static void CheckIds(int[] ids, string name)
    {
        int i = ids.AsSpan().IndexOfAnyInRange(int.MinValue, -1);
        if (i >= 0) throw new ArgumentException($"{name}[{i}] is {ids[i]}; token ids cannot be negative.", name);
    }
}
