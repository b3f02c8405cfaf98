using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// The attention weights over each row's real source positions and the context they give: padded positions
/// get weight exactly zero, so padding never changes a result. No parameters. Forward and backward together
/// here, so that the attention's backward is in one place whatever the score.
/// </summary>
public sealed class AttentionContext<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _weights = [], _context = [], _scoreGradient = [];
    private int _steps, _source, _batch;

    public AttentionContext(int memory) => Memory = memory;

    /// <summary>M: the memory width.</summary>
    public int Memory { get; }
    /// <summary>α of the last Forward, [B, Tn, S].</summary>
    public ReadOnlySpan<T> Weights => _weights.AsSpan(0, _batch * _steps * _source);

    // forward: α[b, t] = softmax(scores[b, t, :len_b]) (0 beyond len_b); c_b = α_b e_b
    //          scores [B, Tn, S], e [S, B, M] -> α [B, Tn, S], c [Tn, B, M]
    public Span<T> Forward(ReadOnlySpan<T> scores, ReadOnlySpan<T> memory, int targetSteps, int sourceSteps, int batch, ReadOnlySpan<int> lengths)
    {
        RecurrentStack<T>.CheckLengths(lengths, sourceSteps, batch);
        (_steps, _source, _batch) = (targetSteps, sourceSteps, batch);
        int M = Memory, Tn = targetSteps, S = sourceSteps, B = batch;
        var alpha = Buffer.Get(ref _weights, B * Tn * S);
        scores.CopyTo(alpha);
        var context = Buffer.Get(ref _context, Tn * B * M);
        for (int b = 0; b < B; b++)
        {
            var ab = alpha.Slice(b * Tn * S, Tn * S);
            for (int t = 0; t < Tn; t++) MaskedSoftmax(ab.Slice(t * S, S), lengths[b]);
            Gemm.Multiply<T>(false, false, Tn, M, S, ab, S, memory.Slice(b * M), B * M, context.Slice(b * M), B * M, accumulate: false);
        }
        return context;
    }

    // backward: dα_b = dc_b e_bᵀ; de_b += α_bᵀ dc_b; dscores = α ⊙ (dα − Σ_s α dα)
    //           dc [Tn, B, M] -> dscores [B, Tn, S], de [S, B, M] (added)
    public Span<T> Backward(ReadOnlySpan<T> dContext, ReadOnlySpan<T> memory, Span<T> dMemory)
    {
        int M = Memory, Tn = _steps, S = _source, B = _batch;
        var dScores = Buffer.Get(ref _scoreGradient, B * Tn * S);
        for (int b = 0; b < B; b++)
        {
            var ab = _weights.AsSpan(b * Tn * S, Tn * S);
            var db = dScores.Slice(b * Tn * S, Tn * S);
            Gemm.Multiply<T>(false, true, Tn, S, M, dContext.Slice(b * M), B * M, memory.Slice(b * M), B * M, db, S, accumulate: false);
            Gemm.Multiply<T>(true, false, S, M, Tn, ab, S, dContext.Slice(b * M), B * M, dMemory.Slice(b * M), B * M, accumulate: true);
            for (int t = 0; t < Tn; t++)
            {
                var ar = ab.Slice(t * S, S);
                var dr = db.Slice(t * S, S);
                T dot = T.Zero;
                for (int s = 0; s < S; s++) dot += ar[s] * dr[s];
                for (int s = 0; s < S; s++) dr[s] = ar[s] * (dr[s] - dot);
            }
        }
        return dScores;
    }

    private static void MaskedSoftmax(Span<T> row, int length)
    {
        T max = row[0];
        for (int s = 1; s < length; s++) if (row[s] > max) max = row[s];
        T sum = T.Zero;
        for (int s = 0; s < length; s++) sum += row[s] = T.Exp(row[s] - max);
        T inv = T.One / sum;
        for (int s = 0; s < length; s++) row[s] *= inv;
        row.Slice(length).Clear();
    }
}
