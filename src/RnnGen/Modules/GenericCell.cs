using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen.Modules;

/// <summary>Calls a cell's float or double overload from code generic over the element type (the JIT removes the branch).</summary>
internal static class GenericCell
{
    public static void Forward<T>(this IRecurrentCell cell, ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> initialStates,
        Span<T> outputs, Span<T> finalStates, CellTape<T> tape, int steps, int batch) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            cell.Forward(MemoryMarshal.Cast<T, float>(parameters), MemoryMarshal.Cast<T, float>(inputs), MemoryMarshal.Cast<T, float>(initialStates),
                MemoryMarshal.Cast<T, float>(outputs), MemoryMarshal.Cast<T, float>(finalStates), Unsafe.As<CellTape<float>>(tape), steps, batch);
        else if (typeof(T) == typeof(double))
            cell.Forward(MemoryMarshal.Cast<T, double>(parameters), MemoryMarshal.Cast<T, double>(inputs), MemoryMarshal.Cast<T, double>(initialStates),
                MemoryMarshal.Cast<T, double>(outputs), MemoryMarshal.Cast<T, double>(finalStates), Unsafe.As<CellTape<double>>(tape), steps, batch);
        else
            throw new NotSupportedException($"Cells run in float or double, not {typeof(T).Name}.");
    }

    public static void Backward<T>(this IRecurrentCell cell, ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, CellTape<T> tape,
        ReadOnlySpan<T> outputGradients, ReadOnlySpan<T> finalStateGradients,
        Span<T> parameterGradients, Span<T> inputGradients, Span<T> initialStateGradients) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            cell.Backward(MemoryMarshal.Cast<T, float>(parameters), MemoryMarshal.Cast<T, float>(inputs), Unsafe.As<CellTape<float>>(tape),
                MemoryMarshal.Cast<T, float>(outputGradients), MemoryMarshal.Cast<T, float>(finalStateGradients),
                MemoryMarshal.Cast<T, float>(parameterGradients), MemoryMarshal.Cast<T, float>(inputGradients), MemoryMarshal.Cast<T, float>(initialStateGradients));
        else if (typeof(T) == typeof(double))
            cell.Backward(MemoryMarshal.Cast<T, double>(parameters), MemoryMarshal.Cast<T, double>(inputs), Unsafe.As<CellTape<double>>(tape),
                MemoryMarshal.Cast<T, double>(outputGradients), MemoryMarshal.Cast<T, double>(finalStateGradients),
                MemoryMarshal.Cast<T, double>(parameterGradients), MemoryMarshal.Cast<T, double>(inputGradients), MemoryMarshal.Cast<T, double>(initialStateGradients));
        else
            throw new NotSupportedException($"Cells run in float or double, not {typeof(T).Name}.");
    }

    public static void Initialize<T>(this IRecurrentCell cell, Span<T> parameters, Random random) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) cell.Initialize(MemoryMarshal.Cast<T, float>(parameters), random);
        else if (typeof(T) == typeof(double)) cell.Initialize(MemoryMarshal.Cast<T, double>(parameters), random);
        else throw new NotSupportedException($"Cells run in float or double, not {typeof(T).Name}.");
    }
}
