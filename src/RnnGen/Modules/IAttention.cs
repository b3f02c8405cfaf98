using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// An attention score: how well each decoder output (the query) matches each encoder output (the memory).
/// All target steps of a batch row are scored at once; the masked softmax and the context are
/// <see cref="AttentionContext{T}"/>'s, so a score only knows its own parameters.
/// </summary>
public interface IAttention<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    AttentionKind Kind { get; }

    // forward: scores[b, t, s] = score(h[t, b], e[s, b])          h [Tn, B, D], e [S, B, M] -> scores [B, Tn, S]
    Span<T> Forward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, int targetSteps, int sourceSteps, int batch);

    // backward: dh += ∂/∂h, de += ∂/∂e, parameter gradients added   dscores [B, Tn, S] -> dh [Tn, B, D], de [S, B, M]
    void Backward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, ReadOnlySpan<T> dScores, Span<T> dH, Span<T> dMemory);
}

/// <summary>Builds the score module of a kind, registering its parameters in the store.</summary>
public static class Attention
{
    /// <summary>The score module of <paramref name="kind"/> for queries of width D = <paramref name="decoder"/> (the top decoder layer's hidden size) and a memory of width M = <paramref name="memory"/> (the encoder's output size).</summary>
    public static IAttention<T> Create<T>(AttentionKind kind, ParameterStore<T> store, int decoder, int memory)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => kind switch
    {
        AttentionKind.Dot => new DotAttention<T>(decoder, memory),
        AttentionKind.General => new GeneralAttention<T>(store, decoder, memory),
        AttentionKind.Additive => new AdditiveAttention<T>(store, decoder, memory),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown attention kind."),
    };
}
