namespace RnnGen.Training;

/// <summary>
/// Series of different lengths padded into one batch, time-major as the recurrence reads them: inputs
/// [Steps, Rows, inputs] and targets [Steps, Rows, outputs], zero past each row's <see cref="Lengths"/>, and
/// <see cref="Real"/> saying which of the Steps × Rows positions hold data.
/// </summary>
public sealed class RegressionBatch
{
    /// <param name="inputs">Each series row-major [steps, inputSize].</param>
    /// <param name="inputSize">Values per input step.</param>
    /// <param name="targets">Each series' targets row-major [steps, outputSize], or null to predict.</param>
    /// <param name="outputSize">Values per target step.</param>
    /// <param name="minSteps">Pads to at least this many steps (padding never changes a result; tests check that).</param>
    public RegressionBatch(IReadOnlyList<float[]> inputs, int inputSize, IReadOnlyList<float[]>? targets = null, int outputSize = 0, int minSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        if (inputs.Count == 0) throw new ArgumentException("A batch needs at least one series.", nameof(inputs));
        if (targets is not null && targets.Count != inputs.Count)
            throw new ArgumentException($"{targets.Count} target series for {inputs.Count} input series.", nameof(targets));
        if (targets is not null) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        Rows = inputs.Count;
        InputSize = inputSize;
        OutputSize = outputSize;
        Lengths = new int[Rows];
        for (int b = 0; b < Rows; b++)
        {
            var x = inputs[b] ?? throw new ArgumentException($"Series {b} is null.", nameof(inputs));
            if (x.Length == 0 || x.Length % inputSize != 0)
                throw new ArgumentException($"Series {b} holds {x.Length} values, not a positive multiple of {inputSize} inputs per step.", nameof(inputs));
            Lengths[b] = x.Length / inputSize;
            if (targets is not null && targets[b]?.Length != Lengths[b] * outputSize)
                throw new ArgumentException($"Series {b} has {Lengths[b]} steps, so its targets need {Lengths[b] * outputSize} values, not {targets[b]?.Length ?? 0}.", nameof(targets));
        }
        Steps = Math.Max(minSteps, Lengths.Max());
        Inputs = new float[Steps * Rows * inputSize];
        Targets = targets is null ? null : new float[Steps * Rows * outputSize];
        Real = new bool[Steps * Rows];
        for (int b = 0; b < Rows; b++)
            for (int s = 0; s < Lengths[b]; s++)
            {
                Real[s * Rows + b] = true;
                inputs[b].AsSpan(s * inputSize, inputSize).CopyTo(Inputs.AsSpan((s * Rows + b) * inputSize, inputSize));
                targets?[b].AsSpan(s * outputSize, outputSize).CopyTo(Targets.AsSpan((s * Rows + b) * outputSize, outputSize));
            }
    }

    public int Rows { get; }
    public int Steps { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    /// <summary>Time-major [Steps, Rows, InputSize], zero at padding.</summary>
    public float[] Inputs { get; }
    /// <summary>Time-major [Steps, Rows, OutputSize], zero at padding; or null.</summary>
    public float[]? Targets { get; }
    public int[] Lengths { get; }
    /// <summary>Which positions (time-major [Steps, Rows]) hold data.</summary>
    public bool[] Real { get; }
    /// <summary>The number of real steps.</summary>
    public int StepCount => Lengths.Sum();
}
