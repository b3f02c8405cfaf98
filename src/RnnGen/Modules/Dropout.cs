using System.Numerics;
using System.Numerics.Tensors;

namespace RnnGen.Modules;

/// <summary>
/// Inverted dropout in training: each value is zeroed with probability p and the rest scaled by 1/(1 − p),
/// so evaluation needs no change. The mask comes from a counter-based stream of the model's seed, the
/// module's index and the call number: the same seed gives the same masks.
/// </summary>
public sealed class Dropout<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ulong _stream;
    private ulong _calls;
    private T[] _mask = [];

    public Dropout(float probability, int seed, int index)
    {
        if (!(probability >= 0 && probability < 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout must be in [0, 1).");
        Probability = probability;
        _stream = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)(index + 1) * 0xD1B54A32D192ED03UL;
    }

    public float Probability { get; }

    /// <summary>Calls made so far; part of what a checkpoint needs to continue the same masks.</summary>
    public ulong Calls { get => _calls; set => _calls = value; }

    /// <summary>
    /// Moves the stream for one rank of data-parallel training (0, the default, is a single process's): every rank
    /// trains other rows with the same number of calls, and must not draw the same masks for them.
    /// </summary>
    internal ulong Salt { get; set; }

    // forward: y = x ⊙ m, m[i] = 1/(1 − p) with probability 1 − p, else 0      x [n], in place
    public void Forward(Span<T> x)
    {
        var mask = Buffer.Get(ref _mask, x.Length);
        ulong state = _stream + ++_calls * 0xBF58476D1CE4E5B9UL + 1 + Salt * 0x94D049BB133111EBUL;
        float keep = 1 - Probability;
        T scale = T.CreateTruncating(1 / keep);
        for (int i = 0; i < mask.Length; i++)
        {
            // xorshift64*: fast and deterministic.
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
            float u = ((state * 0x2545F4914F6CDD1DUL) >> 40) * (1f / (1 << 24));
            mask[i] = u < keep ? scale : T.Zero;
        }
        TensorPrimitives.Multiply<T>(x, mask, x);
    }

    // backward: dx = dy ⊙ m                                                      dy [n], in place
    public void Backward(Span<T> dy) => TensorPrimitives.Multiply<T>(dy, _mask.AsSpan(0, dy.Length), dy);
}
