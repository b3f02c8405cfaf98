namespace RnnGen.Modules;

/// <summary>Scratch that grows to the largest batch seen and is then reused, so that a training step allocates nothing.</summary>
internal static class Buffer
{
    public static Span<T> Get<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }
}
