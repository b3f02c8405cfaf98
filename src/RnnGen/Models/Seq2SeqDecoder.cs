using System.Numerics;
using RnnGen.Modules;

namespace RnnGen.Models;

/// <summary>
/// Runs a <see cref="Seq2SeqNetwork{T}"/>'s decoder one step at a time for K hypotheses of one encoded source
/// sentence, through the network's own modules (no dropout). The K hypotheses are the K "target steps" of a
/// batch of one row, so attention scores and contexts come from the same modules as in training.
/// </summary>
internal sealed class Seq2SeqDecoder<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Seq2SeqNetwork<T> _n;
    private readonly T[] _memory;
    private readonly T[][] _initial;
    private readonly int _S;

    public Seq2SeqDecoder(Seq2SeqNetwork<T> network, int[] source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length == 0) throw new ArgumentException("The source is empty.", nameof(source));
        _n = network;
        _S = source.Length;
        int[] lengths = [source.Length];
        var memory = network.Encoder.Forward(network.SourceEmbedding.Forward(source), _S, 1, lengths);
        _memory = memory.ToArray();
        _initial = network.Bridge.Forward(network.Summary.Forward(memory, _S, 1, lengths), 1).Select(s => s.ToArray()).ToArray();
    }

    /// <summary>The bridged states for one hypothesis.</summary>
    public RecurrentState<T> InitialState()
    {
        var state = _n.Decoder.CreateState(1);
        for (int k = 0; k < _initial.Length; k++) _initial[k].CopyTo(state.Layers[k], 0);
        state.IsZero = false;
        return state;
    }

    /// <summary>The states of the chosen hypotheses, in order (the search's selection callback).</summary>
    public RecurrentState<T> Select(RecurrentState<T> states, IReadOnlyList<int> from)
    {
        if (from.Count == 0) return states;
        var result = _n.Decoder.CreateState(from.Count);
        int K = states.BatchSize;
        var layers = _n.Decoder.Layers;
        for (int k = 0; k < layers.Count; k++)
        {
            int H = layers[k].Forward.HiddenSize;
            for (int st = 0; st < layers[k].Forward.StateCount; st++)
                for (int c = 0; c < from.Count; c++)
                    states.Layers[k].AsSpan((st * K + from[c]) * H, H).CopyTo(result.Layers[k].AsSpan((st * from.Count + c) * H, H));
        }
        result.IsZero = false;
        return result;
    }

    // step: x = embed(tokens) → decoder (states advanced) → h [1, K, D] read as [Tn = K, B = 1, D] → scores, α [K, S],
    //       context → a = tanh(W_c [c; h]) → logits [K, V] → log softmax (in double)
    public ReadOnlySpan<T> Step(ReadOnlySpan<int> tokens, RecurrentState<T> states, Span<double> logProbs)
    {
        var n = _n;
        int K = tokens.Length, V = n.TargetVocabSize;
        var h = n.Decoder.Forward(n.TargetEmbedding.Forward(tokens), 1, K, state: states);
        var scores = n.Attention.Forward(h, _memory, K, _S, 1);
        var context = n.Context.Forward(scores, _memory, K, _S, 1, [_S]);
        var a = n.CombineTanh.Forward(n.Combine.Forward(n.Join.Forward(context, h, K), K));
        var logits = n.Output.Forward(a, K);
        for (int c = 0; c < K; c++)
        {
            var row = logits.Slice(c * V, V);
            double max = double.NegativeInfinity;
            foreach (T v in row) max = Math.Max(max, double.CreateTruncating(v));
            double sum = 0;
            foreach (T v in row) sum += Math.Exp(double.CreateTruncating(v) - max);
            double log = Math.Log(sum) + max;
            for (int i = 0; i < V; i++) logProbs[c * V + i] = double.CreateTruncating(row[i]) - log;
        }
        return n.Context.Weights;
    }

    /// <summary>
    /// The most likely token at each step until <paramref name="endId"/> or <paramref name="maxLength"/> tokens;
    /// with <paramref name="attention"/>, each produced token's attention over the source [S].
    /// </summary>
    public int[] Greedy(int beginId, int endId, int maxLength, List<T[]>? attention)
    {
        var states = InitialState();
        var tokens = new List<int>();
        var logProbs = new double[_n.TargetVocabSize];
        int previous = beginId;
        for (int t = 0; t < maxLength; t++)
        {
            var alpha = Step([previous], states, logProbs);
            int best = 0;
            for (int i = 1; i < logProbs.Length; i++) if (logProbs[i] > logProbs[best]) best = i;
            attention?.Add(alpha.ToArray());
            if (best == endId) break;
            tokens.Add(best);
            previous = best;
        }
        return tokens.ToArray();
    }

    /// <summary>Beam search (<see cref="BeamSearch.Search"/>) from this sentence.</summary>
    public int[] Beam(int beginId, int endId, int maxLength, int beamWidth, double lengthPenalty)
    {
        var states = InitialState();
        return BeamSearch.Search(_n.TargetVocabSize, beginId, endId, maxLength, beamWidth, lengthPenalty,
            (previous, logProbs) => Step(previous, states, logProbs),
            from => states = Select(states, from));
    }
}
