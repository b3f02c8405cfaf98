using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// score(h, e) = vᵀ tanh(W1 e + W2 h) (Bahdanau's additive), attention size D: <c>attention.key.weight</c> W1 [D, M],
/// <c>attention.query.weight</c> W2 [D, D], <c>attention.v</c> [D], each uniform(±1/√fan-in) (M, D, D).
/// </summary>
public sealed class AdditiveAttention<T> : IAttention<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ParameterStore<T> _store;
    private T[] _keys = [], _queries = [], _tanh = [], _scores = [], _keyGradient = [], _queryGradient = [];
    private int _steps, _source, _batch;

    public AdditiveAttention(ParameterStore<T> store, int decoder, int memory)
    {
        _store = store;
        (Decoder, Memory) = (decoder, memory);
        Key = store.Add("attention.key.weight", [decoder, memory], new Init.Uniform(1 / Math.Sqrt(memory)));
        Query = store.Add("attention.query.weight", [decoder, decoder], new Init.Uniform(1 / Math.Sqrt(decoder)));
        V = store.Add("attention.v", [decoder], new Init.Uniform(1 / Math.Sqrt(decoder)));
    }

    public AttentionKind Kind => AttentionKind.Additive;
    public int Decoder { get; }
    public int Memory { get; }
    public Slot Key { get; }
    public Slot Query { get; }
    public Slot V { get; }

    // forward: k = e W1ᵀ, q = h W2ᵀ, u[b, t, s] = tanh(k[s, b] + q[t, b]) (kept), scores[b, t, s] = v · u[b, t, s]
    //          h [Tn, B, D], e [S, B, M] -> k [S, B, D], q [Tn, B, D], u [B, Tn, S, D] -> scores [B, Tn, S]
    public Span<T> Forward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, int targetSteps, int sourceSteps, int batch)
    {
        (_steps, _source, _batch) = (targetSteps, sourceSteps, batch);
        int D = Decoder, M = Memory, Tn = targetSteps, S = sourceSteps, B = batch;
        var keys = Buffer.Get(ref _keys, S * B * D);
        Gemm.Multiply<T>(false, true, S * B, D, M, memory, M, _store.Value(Key), M, keys, D, accumulate: false);
        var queries = Buffer.Get(ref _queries, Tn * B * D);
        Gemm.Multiply<T>(false, true, Tn * B, D, D, h, D, _store.Value(Query), D, queries, D, accumulate: false);
        var u = Buffer.Get(ref _tanh, B * Tn * S * D);
        var scores = Buffer.Get(ref _scores, B * Tn * S);
        var v = _store.Value(V);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < Tn; t++)
            {
                var q = queries.Slice((t * B + b) * D, D);
                for (int s = 0; s < S; s++)
                {
                    var k = keys.Slice((s * B + b) * D, D);
                    var ur = u.Slice(((b * Tn + t) * S + s) * D, D);
                    T sum = T.Zero;
                    for (int i = 0; i < D; i++)
                    {
                        ur[i] = T.Tanh(k[i] + q[i]);
                        sum += v[i] * ur[i];
                    }
                    scores[(b * Tn + t) * S + s] = sum;
                }
            }
        return scores;
    }

    // backward: du = ds v ⊙ (1 − u²); dv += Σ ds u; dk[s, b] = Σ_t du; dq[t, b] = Σ_s du;
    //           dW1 += dkᵀ e, de += dk W1; dW2 += dqᵀ h, dh += dq W2
    public void Backward(ReadOnlySpan<T> h, ReadOnlySpan<T> memory, ReadOnlySpan<T> dScores, Span<T> dH, Span<T> dMemory)
    {
        int D = Decoder, M = Memory, Tn = _steps, S = _source, B = _batch;
        var dKeys = Buffer.Get(ref _keyGradient, S * B * D);
        var dQueries = Buffer.Get(ref _queryGradient, Tn * B * D);
        dKeys.Clear();
        dQueries.Clear();
        var u = _tanh.AsSpan(0, B * Tn * S * D);
        var v = _store.Value(V);
        var dv = _store.Gradient(V);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < Tn; t++)
            {
                var dq = dQueries.Slice((t * B + b) * D, D);
                for (int s = 0; s < S; s++)
                {
                    T g = dScores[(b * Tn + t) * S + s];
                    if (g == T.Zero) continue; // masked source positions
                    var ur = u.Slice(((b * Tn + t) * S + s) * D, D);
                    var dk = dKeys.Slice((s * B + b) * D, D);
                    for (int i = 0; i < D; i++)
                    {
                        dv[i] += g * ur[i];
                        T du = g * v[i] * (T.One - ur[i] * ur[i]);
                        dk[i] += du;
                        dq[i] += du;
                    }
                }
            }
        Gemm.Multiply<T>(true, false, D, M, S * B, dKeys, D, memory, M, _store.Gradient(Key), M, accumulate: true);
        Gemm.Multiply<T>(false, false, S * B, M, D, dKeys, D, _store.Value(Key), M, dMemory, M, accumulate: true);
        Gemm.Multiply<T>(true, false, D, D, Tn * B, dQueries, D, h, D, _store.Gradient(Query), D, accumulate: true);
        Gemm.Multiply<T>(false, false, Tn * B, D, D, dQueries, D, _store.Value(Query), D, dH, D, accumulate: true);
    }
}
