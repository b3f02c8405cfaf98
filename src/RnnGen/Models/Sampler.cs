using System.Numerics.Tensors;

namespace RnnGen.Models;

/// <summary>
/// Picks the next token from logits: temperature scaling, then optionally only the <c>topK</c> most likely
/// tokens and only the smallest set whose probability reaches <c>topP</c> (nucleus sampling). A temperature
/// of 0 always picks the most likely token.
/// </summary>
public sealed class Sampler
{
    private readonly float _temperature;
    private readonly int _topK;
    private readonly float _topP;
    private readonly Random _random;
    private float[] _probabilities = [];
    private int[] _order = [];
    private float[] _keys = [];

    public Sampler(float temperature = 1, int topK = 0, float topP = 1, int? seed = null)
    {
        if (!(temperature >= 0) || float.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be 0 (greedy) or positive.");
        ArgumentOutOfRangeException.ThrowIfNegative(topK);
        if (!(topP > 0 && topP <= 1)) throw new ArgumentOutOfRangeException(nameof(topP), topP, "top-p must be in (0, 1].");
        _temperature = temperature;
        _topK = topK;
        _topP = topP;
        _random = seed is { } s ? new Random(s) : new Random();
    }

    public int Sample(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty) throw new ArgumentException("There are no logits to sample from (an empty vocabulary?).", nameof(logits));
        if (_temperature == 0) return TensorPrimitives.IndexOfMax(logits);
        int n = logits.Length;
        if (_probabilities.Length != n)
        {
            _probabilities = new float[n];
            _order = new int[n];
            _keys = new float[n];
        }
        var p = _probabilities.AsSpan();
        TensorPrimitives.Divide(logits, _temperature, p);
        TensorPrimitives.SoftMax(p, p);

        int candidates = n;
        if (_topK > 0 || _topP < 1)
        {
            // Most likely first (sorting by negated probability); the sort is deterministic, so a seed always gives the same text.
            for (int i = 0; i < n; i++)
            {
                _order[i] = i;
                _keys[i] = -p[i];
            }
            Array.Sort(_keys, _order);
            if (_topK > 0) candidates = Math.Min(candidates, _topK);
            if (_topP < 1)
            {
                double cumulative = 0;
                for (int i = 0; i < candidates; i++)
                {
                    cumulative += p[_order[i]];
                    if (cumulative >= _topP) { candidates = i + 1; break; }
                }
            }
            double total = 0;
            for (int i = 0; i < candidates; i++) total += p[_order[i]];
            double u = _random.NextDouble() * total;
            for (int i = 0; i < candidates; i++)
            {
                u -= p[_order[i]];
                if (u <= 0) return _order[i];
            }
            return _order[candidates - 1];
        }

        double x = _random.NextDouble();
        for (int i = 0; i < n; i++)
        {
            x -= p[i];
            if (x <= 0) return i;
        }
        return TensorPrimitives.IndexOfMax(logits);
    }
}
