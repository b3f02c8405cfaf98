namespace RnnGen.Models;

/// <summary>
/// Makes a model serve one caller at a time: every entry point enters it with <c>using var _ = _caller.Enter();</c>,
/// and a second caller arriving while a call is in progress gets an <see cref="InvalidOperationException"/> at once
/// instead of corrupting the model's shared buffers. Allocation-free: one <see cref="Interlocked.CompareExchange(ref int, int, int)"/>
/// to enter, one <see cref="Volatile.Write(ref int, int)"/> to leave. Not re-entrant: a model's entry points do not call each other.
/// </summary>
internal sealed class SingleCaller(string model)
{
    private int _busy;

    /// <summary>The name of the model type, as the exception's message says it.</summary>
    public string Model { get; } = model;

    /// <summary>Whether a call is in progress.</summary>
    public bool Busy => Volatile.Read(ref _busy) != 0;

    /// <summary>Claims the model for the caller until the returned scope is disposed; throws if another call holds it.</summary>
    public Scope Enter()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            throw new InvalidOperationException(
                $"This {Model} is already running a step on another thread; a model instance serves one caller at a time — create one model per thread.");
        return new Scope(this);
    }

    private void Leave() => Volatile.Write(ref _busy, 0);

    /// <summary>The claim of one call; disposing it releases the model.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SingleCaller? _owner;
        internal Scope(SingleCaller owner) => _owner = owner;
        public void Dispose() => _owner?.Leave();
    }
}
