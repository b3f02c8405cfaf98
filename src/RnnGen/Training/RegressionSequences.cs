namespace RnnGen.Training;

/// <summary>
/// Series of input vectors with a target vector at every step: what a sequence regressor trains on. Each
/// series is row-major [steps, inputs] and its targets [steps, outputs].
/// </summary>
public sealed class RegressionSequences : SequenceDataset<RegressionBatch>
{
    public RegressionSequences(IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int inputSize = 1, int outputSize = 1)
        : base(LengthsOf(inputs, targets, inputSize, outputSize))
    {
        Inputs = inputs;
        Targets = targets;
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    public IReadOnlyList<float[]> Inputs { get; }
    public IReadOnlyList<float[]> Targets { get; }
    public int InputSize { get; }
    public int OutputSize { get; }

    public override RegressionBatch Batch(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Inputs[i]).ToArray(), InputSize, indices.Select(i => Targets[i]).ToArray(), OutputSize);

    /// <summary>A shuffled <paramref name="fraction"/> held out for validation.</summary>
    public (RegressionSequences Train, RegressionSequences Validation) Split(double fraction, int seed = 0)
    {
        var (train, validation) = SplitIndices(Count, fraction, seed);
        RegressionSequences Take(int[] at) => new(at.Select(i => Inputs[i]).ToArray(), at.Select(i => Targets[i]).ToArray(), InputSize, OutputSize);
        return (Take(train), Take(validation));
    }

    private static int[] LengthsOf(IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int inputSize, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        if (inputs.Count != targets.Count) throw new ArgumentException($"{inputs.Count} input series but {targets.Count} target series.", nameof(targets));
        var lengths = new int[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not { Length: > 0 } x || x.Length % inputSize != 0)
                throw new ArgumentException($"Series {i} holds {inputs[i]?.Length ?? 0} values, not a positive multiple of {inputSize} inputs per step.", nameof(inputs));
            lengths[i] = x.Length / inputSize;
            if (targets[i]?.Length != lengths[i] * outputSize)
                throw new ArgumentException($"Series {i} has {lengths[i]} steps, so it needs {lengths[i] * outputSize} targets, not {targets[i]?.Length ?? 0}.", nameof(targets));
        }
        return lengths;
    }
}
