namespace RnnGen.Modules;

/// <summary>Row-major [B, S, width] data laid out time-major [S, B, width], as the recurrence reads it.</summary>
public sealed class TimeMajor<TValue>
{
    private TValue[] _buffer = [];

    // out[s, b, :] = in[b, s, :]                          in [B, S, width] -> out [S, B, width]
    public Span<TValue> From(ReadOnlySpan<TValue> rowMajor, int batch, int steps, int width = 1)
    {
        var output = Buffer.Get(ref _buffer, batch * steps * width);
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < steps; s++)
                rowMajor.Slice((b * steps + s) * width, width).CopyTo(output.Slice((s * batch + b) * width, width));
        return output;
    }
}
