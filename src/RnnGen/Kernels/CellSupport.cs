using System.ComponentModel;
using System.Numerics;

namespace RnnGen.Kernels;

/// <summary>Argument checks and initialisation shared by every generated cell.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CellSupport
{
    /// <summary>Fills <paramref name="values"/> from uniform(-bound, bound).</summary>
    public static void Uniform<T>(Span<T> values, Random random, double bound) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateTruncating((random.NextDouble() * 2 - 1) * bound);
    }

    public static void Fill<T>(Span<T> values, double value) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        values.Fill(T.CreateTruncating(value));

    /// <summary>destination += source, elementwise.</summary>
    public static void AddTo<T>(Span<T> destination, ReadOnlySpan<T> source) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < destination.Length; i++) destination[i] += source[i];
    }

    public static void CheckSizes(int inputSize, int hiddenSize)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size of a recurrent cell must be positive.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "The hidden size of a recurrent cell must be positive.");
    }

    /// <summary>Checks the spans of a forward pass against the sequence batch shape; the message names the argument and both lengths.</summary>
    public static void CheckForward(string cell, int parameterCount, int states, int input, int hidden, int steps, int batch,
        int parameters, int inputs, int initialStates, int outputs, int finalStates)
    {
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"{cell}: the number of steps must be positive.");
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"{cell}: the batch size must be positive.");
        long rows = (long)steps * batch;
        // Compared first and described only on failure: a training step must not allocate.
        if (parameters < parameterCount) Fail(cell, "parameters", parameters, parameterCount, "the cell's ParameterCount");
        if (inputs < rows * input) Fail(cell, "inputs", inputs, rows * input, $"[steps={steps}, batch={batch}, input={input}]");
        if (initialStates != 0 && initialStates < (long)states * batch * hidden)
            Fail(cell, "initialStates", initialStates, (long)states * batch * hidden, $"[states={states}, batch={batch}, hidden={hidden}] (or empty for zeros)");
        if (outputs < rows * hidden) Fail(cell, "outputs", outputs, rows * hidden, $"[steps={steps}, batch={batch}, hidden={hidden}]");
        if (finalStates != 0 && finalStates < (long)states * batch * hidden)
            Fail(cell, "finalStates", finalStates, (long)states * batch * hidden, $"[states={states}, batch={batch}, hidden={hidden}] (or empty)");
    }

    public static void CheckBackward(string cell, int parameterCount, int states, int input, int hidden, int steps, int batch,
        int parameters, int inputs, int outputGradients, int finalStateGradients, int parameterGradients, int inputGradients, int initialStateGradients)
    {
        if (steps <= 0) throw new InvalidOperationException($"{cell}: Backward needs a tape filled by Forward.");
        long rows = (long)steps * batch, stateLength = (long)states * batch * hidden;
        if (parameters < parameterCount) Fail(cell, "parameters", parameters, parameterCount, "the cell's ParameterCount");
        if (parameterGradients < parameterCount) Fail(cell, "parameterGradients", parameterGradients, parameterCount, "the cell's ParameterCount");
        if (inputs < rows * input) Fail(cell, "inputs", inputs, rows * input, $"[steps={steps}, batch={batch}, input={input}] as given to Forward");
        if (outputGradients < rows * hidden) Fail(cell, "outputGradients", outputGradients, rows * hidden, $"[steps={steps}, batch={batch}, hidden={hidden}]");
        if (finalStateGradients != 0 && finalStateGradients < stateLength)
            Fail(cell, "finalStateGradients", finalStateGradients, stateLength, $"[states={states}, batch={batch}, hidden={hidden}] (or empty)");
        if (inputGradients != 0 && inputGradients < rows * input)
            Fail(cell, "inputGradients", inputGradients, rows * input, $"[steps={steps}, batch={batch}, input={input}] (or empty)");
        if (initialStateGradients != 0 && initialStateGradients < stateLength)
            Fail(cell, "initialStateGradients", initialStateGradients, stateLength, $"[states={states}, batch={batch}, hidden={hidden}] (or empty)");
    }

    private static void Fail(string cell, string argument, int actual, long needed, string shape) =>
        throw new ArgumentException($"{cell}: '{argument}' holds {actual} values but needs {needed}: {shape}.", argument);
}
