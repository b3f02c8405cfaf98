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
        Need(cell, "parameters", parameters, parameterCount, "the cell's ParameterCount");
        Need(cell, "inputs", inputs, (long)steps * batch * input, $"[steps={steps}, batch={batch}, input={input}]");
        if (initialStates != 0) Need(cell, "initialStates", initialStates, (long)states * batch * hidden, $"[states={states}, batch={batch}, hidden={hidden}] (or empty for zeros)");
        Need(cell, "outputs", outputs, (long)steps * batch * hidden, $"[steps={steps}, batch={batch}, hidden={hidden}]");
        if (finalStates != 0) Need(cell, "finalStates", finalStates, (long)states * batch * hidden, $"[states={states}, batch={batch}, hidden={hidden}] (or empty)");
    }

    public static void CheckBackward(string cell, int parameterCount, int states, int input, int hidden, int steps, int batch,
        int parameters, int inputs, int outputGradients, int finalStateGradients, int parameterGradients, int inputGradients, int initialStateGradients)
    {
        if (steps <= 0) throw new InvalidOperationException($"{cell}: Backward needs a tape filled by Forward.");
        Need(cell, "parameters", parameters, parameterCount, "the cell's ParameterCount");
        Need(cell, "parameterGradients", parameterGradients, parameterCount, "the cell's ParameterCount");
        Need(cell, "inputs", inputs, (long)steps * batch * input, $"[steps={steps}, batch={batch}, input={input}] as given to Forward");
        Need(cell, "outputGradients", outputGradients, (long)steps * batch * hidden, $"[steps={steps}, batch={batch}, hidden={hidden}]");
        if (finalStateGradients != 0) Need(cell, "finalStateGradients", finalStateGradients, (long)states * batch * hidden, $"[states={states}, batch={batch}, hidden={hidden}] (or empty)");
        if (inputGradients != 0) Need(cell, "inputGradients", inputGradients, (long)steps * batch * input, $"[steps={steps}, batch={batch}, input={input}] (or empty)");
        if (initialStateGradients != 0) Need(cell, "initialStateGradients", initialStateGradients, (long)states * batch * hidden, $"[states={states}, batch={batch}, hidden={hidden}] (or empty)");
    }

    private static void Need(string cell, string argument, int actual, long needed, string shape)
    {
        if (actual < needed)
            throw new ArgumentException($"{cell}: '{argument}' holds {actual} values but needs {needed}: {shape}.", argument);
    }
}
