using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// The decoder's initial states from a summary of the source: per decoder layer k, a <see cref="Linear{T}"/>
/// named <c>bridge.weight_l{k}</c>/<c>bridge.bias_l{k}</c> (uniform(±1/√M)) and tanh give the first state;
/// any further state (an LSTM's c) starts at zero.
/// </summary>
public sealed class Bridge<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Linear<T>[] _maps;
    private readonly IRecurrentCell[] _cells;
    private T[][] _initial = [];
    private T[] _summaryGradient = [], _preGradient = [];
    private int _batch;

    public Bridge(ParameterStore<T> store, int memory, IEnumerable<IRecurrentCell> decoderCells)
    {
        _cells = decoderCells.ToArray();
        _maps = _cells.Select((c, k) => new Linear<T>(store, $"bridge.weight_l{k}", $"bridge.bias_l{k}", memory, c.HiddenSize)).ToArray();
        Memory = memory;
    }

    public int Memory { get; }

    /// <summary>The map that gives decoder layer <paramref name="k"/> its first state (before tanh).</summary>
    public Linear<T> Map(int k) => _maps[k];

    // forward: h0_k = tanh(W_k summary + b_k), other states 0        summary [B, M] -> initial_k [states_k, B, H_k]
    public T[][] Forward(ReadOnlySpan<T> summary, int batch)
    {
        if (_batch != batch || _initial.Length == 0)
        {
            // Exact sizes: the stack hands each array to its cell whole.
            _initial = _cells.Select(c => new T[c.StateCount * batch * c.HiddenSize]).ToArray();
            _batch = batch;
        }
        for (int k = 0; k < _maps.Length; k++)
        {
            var h0 = _maps[k].Forward(summary, batch);
            for (int i = 0; i < h0.Length; i++) _initial[k][i] = T.Tanh(h0[i]);
            _initial[k].AsSpan(h0.Length).Clear();
        }
        return _initial;
    }

    // backward: dpre_k = dh0_k ⊙ (1 − h0_k²); dW_k, db_k added; dsummary = Σ_k dpre_k W_k
    //           dinitial_k = decoder.InitialGradient(k) [states_k, B, H_k] -> dsummary [B, M]
    public Span<T> Backward(ReadOnlySpan<T> summary, RecurrentStack<T> decoder)
    {
        int B = _batch;
        var dSummary = Buffer.Get(ref _summaryGradient, B * Memory);
        dSummary.Clear();
        for (int k = 0; k < _maps.Length; k++)
        {
            int n = B * _cells[k].HiddenSize;
            var dPre = Buffer.Get(ref _preGradient, n);
            decoder.InitialGradient(k).Slice(0, n).CopyTo(dPre);
            var h0 = _initial[k];
            for (int i = 0; i < n; i++) dPre[i] *= T.One - h0[i] * h0[i];
            var dx = _maps[k].Backward(summary, dPre, B);
            for (int i = 0; i < dSummary.Length; i++) dSummary[i] += dx[i];
        }
        return dSummary;
    }
}
