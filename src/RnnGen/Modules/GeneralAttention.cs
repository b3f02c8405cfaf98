using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// score(h, e) = h · (W e) (Luong's general): <c>attention.weight</c> [D, M], uniform(±1/√M). The keys W e do
/// not depend on the query, so they are computed once for the whole memory.
/// </summary>
public sealed class GeneralAttention<T> : IAttention<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ParameterStore<T> _store;
    private T[] _keys = [], _scores = [], _keyGradient = [];
    private int _steps, _source, _batch;

    public GeneralAttention(ParameterStore<T> store, int decoder, int memory)
    {
        _store = store;
        (Decoder, Memory) = (decoder, memory);
        Weight = store.Add("attention.weight", [decoder, memory], new Init.Uniform(1 / Math.Sqrt(memory)));
    }

    public AttentionKind Kind => AttentionKind.General;
    public int Decoder { get; }
    public int Memory { get; }
    public Slot Weight { get; }

    // forward: k = e Wᵀ; scores_b = h_b k_bᵀ                         h [Tn, B, D], e [S, B, M] -> k [S, B, D] -> scores [B, Tn, S]
    public Span<T> Forward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, int targetSteps, int sourceSteps, int batch)
    {
        (_steps, _source, _batch) = (targetSteps, sourceSteps, batch);
        int D = Decoder, M = Memory, Tn = targetSteps, S = sourceSteps, B = batch;
        var keys = Buffer.Get(ref _keys, S * B * D);
        Gemm.Multiply<T>(false, true, S * B, D, M, memory, M, _store.Value(Weight), M, keys, D, accumulate: false);
        var scores = Buffer.Get(ref _scores, B * Tn * S);
        for (int b = 0; b < B; b++)
            Gemm.Multiply<T>(false, true, Tn, S, D, h.Slice(b * D), B * D, keys.Slice(b * D), B * D, scores.Slice(b * Tn * S, Tn * S), S, accumulate: false);
        return scores;
    }

    // backward: dh_b += ds_b k_b; dk_b = ds_bᵀ h_b; dW += dkᵀ e; de += dk W
    public void Backward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, ReadOnlySpan<T> dScores, Span<T> dH, Span<T> dMemory)
    {
        int D = Decoder, M = Memory, Tn = _steps, S = _source, B = _batch;
        var keys = _keys.AsSpan(0, S * B * D);
        var dKeys = Buffer.Get(ref _keyGradient, S * B * D);
        for (int b = 0; b < B; b++)
        {
            var ds = dScores.Slice(b * Tn * S, Tn * S);
            Gemm.Multiply<T>(false, false, Tn, D, S, ds, S, keys.Slice(b * D), B * D, dH.Slice(b * D), B * D, accumulate: true);
            Gemm.Multiply<T>(true, false, S, D, Tn, ds, S, h.Slice(b * D), B * D, dKeys.Slice(b * D), B * D, accumulate: false);
        }
        Gemm.Multiply<T>(true, false, D, M, S * B, dKeys, D, memory, M, _store.Gradient(Weight), M, accumulate: true);
        Gemm.Multiply<T>(false, false, S * B, M, D, dKeys, D, _store.Value(Weight), M, dMemory, M, accumulate: true);
    }
}
