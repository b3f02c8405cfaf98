using System.Numerics;

namespace RnnGen.Modules;

/// <summary>score(h, e) = h · e (Luong's dot). No parameters; the memory width must equal the query width.</summary>
public sealed class DotAttention<T> : IAttention<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _scores = [];
    private int _steps, _source, _batch;

    public DotAttention(int decoder, int memory)
    {
        if (decoder != memory)
            throw new ArgumentException($"Dot attention needs the encoder output size ({memory}) to equal the decoder hidden size ({decoder}).");
        Width = decoder;
    }

    public AttentionKind Kind => AttentionKind.Dot;
    public int Width { get; }

    // forward: scores_b = h_b e_bᵀ, one GEMM per row (stride B)      h [Tn, B, D], e [S, B, D] -> scores [B, Tn, S]
    public Span<T> Forward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, int targetSteps, int sourceSteps, int batch)
    {
        (_steps, _source, _batch) = (targetSteps, sourceSteps, batch);
        int D = Width, Tn = targetSteps, S = sourceSteps, B = batch;
        var scores = Buffer.Get(ref _scores, B * Tn * S);
        for (int b = 0; b < B; b++)
            Gemm.Multiply<T>(false, true, Tn, S, D, h.Slice(b * D), B * D, memory.Slice(b * D), B * D, scores.Slice(b * Tn * S, Tn * S), S, accumulate: false);
        return scores;
    }

    // backward: dh_b += ds_b e_b; de_b += ds_bᵀ h_b
    public void Backward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, ReadOnlySpan<T> dScores, Span<T> dH, Span<T> dMemory)
    {
        int D = Width, Tn = _steps, S = _source, B = _batch;
        for (int b = 0; b < B; b++)
        {
            var ds = dScores.Slice(b * Tn * S, Tn * S);
            Gemm.Multiply<T>(false, false, Tn, D, S, ds, S, memory.Slice(b * D), B * D, dH.Slice(b * D), B * D, accumulate: true);
            Gemm.Multiply<T>(true, false, S, D, Tn, ds, S, h.Slice(b * D), B * D, dMemory.Slice(b * D), B * D, accumulate: true);
        }
    }
}
