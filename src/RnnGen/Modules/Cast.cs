using System.Numerics;

namespace RnnGen.Modules;

/// <summary>Float data (a batch's series) in the network's element type.</summary>
public sealed class Cast<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T[] _buffer = [];

    // out[i] = (T) in[i]
    public Span<T> From(ReadOnlySpan<float> values)
    {
        var output = Buffer.Get(ref _buffer, values.Length);
        for (int i = 0; i < values.Length; i++) output[i] = T.CreateTruncating(values[i]);
        return output;
    }
}
