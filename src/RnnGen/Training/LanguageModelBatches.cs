namespace RnnGen.Training;

/// <summary>
/// Batches a token stream for a language model the way char-rnn does. The stream is cut into
/// <see cref="BatchSize"/> contiguous rows of <see cref="RowLength"/> tokens each; an epoch reads the rows
/// side by side in windows of <see cref="Steps"/> tokens, with targets shifted one token ahead. Window
/// <c>w</c> of row <c>b</c> therefore follows window <c>w - 1</c> of the same row directly in the text, so
/// the hidden state can be carried from window to window within an epoch. Tokens that do not fill a whole
/// window at the end of a row are left out.
/// </summary>
/// <remarks>
/// Each enumeration (one epoch) allocates one pair of arrays and refills them for every window: the
/// <see cref="TokenBatch"/> it yields is the same object each time and is overwritten by the next
/// <c>MoveNext</c>. Copy a batch's arrays to keep it beyond that. Enumerations are independent of each other.
/// </remarks>
public sealed class LanguageModelBatches : IEnumerable<BatchWindow>
{
    private readonly ReadOnlyMemory<int> _tokens;

    public LanguageModelBatches(ReadOnlyMemory<int> tokens, int batchSize, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        // Row b holds inputs [b * RowLength, (b + 1) * RowLength) and needs one more token for its last target.
        int rowLength = tokens.Length <= 1 ? 0 : (tokens.Length - 1) / batchSize;
        int windows = rowLength / steps;
        if (windows == 0)
            throw new ArgumentException(
                $"{tokens.Length} tokens cannot fill one window of {batchSize} rows x {steps} steps; at least {(long)batchSize * steps + 1} are needed.",
                nameof(tokens));
        int negative = tokens.Span.IndexOfAnyInRange(int.MinValue, -1);
        if (negative >= 0)
            throw new ArgumentException($"Token {negative} is {tokens.Span[negative]}; token ids cannot be negative.", nameof(tokens));
        _tokens = tokens;
        BatchSize = batchSize;
        Steps = steps;
        RowLength = rowLength;
        WindowsPerEpoch = windows;
    }

    public int BatchSize { get; }
    public int Steps { get; }
    /// <summary>Tokens in each row's share of the stream (inputs; the last target is the token after it).</summary>
    public int RowLength { get; }
    /// <summary>Batches in one epoch.</summary>
    public int WindowsPerEpoch { get; }
    /// <summary>Target tokens one epoch covers.</summary>
    public long TokensPerEpoch => (long)WindowsPerEpoch * BatchSize * Steps;

    /// <summary>
    /// Cuts <paramref name="tokens"/> into a training head and the last <paramref name="validationFraction"/>
    /// of it (rounded to the nearest token) for validation, without copying.
    /// </summary>
    public static TokenSplit TrainValidationSplit(ReadOnlyMemory<int> tokens, double validationFraction)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in [0, 1).");
        int validation = (int)Math.Round(tokens.Length * validationFraction, MidpointRounding.AwayFromZero);
        int train = tokens.Length - validation;
        return new TokenSplit(tokens[..train], tokens[train..]);
    }

    /// <summary>Starts an epoch. The yielded batch is reused: see the remarks on the class.</summary>
    public Enumerator GetEnumerator() => new(this);
    IEnumerator<BatchWindow> IEnumerable<BatchWindow>.GetEnumerator() => GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One epoch over the windows, refilling one batch in place.</summary>
    public sealed class Enumerator : IEnumerator<BatchWindow>
    {
        private readonly LanguageModelBatches _owner;
        private readonly TokenBatch _batch;
        private int _window = -1;

        internal Enumerator(LanguageModelBatches owner)
        {
            _owner = owner;
            int size = owner.BatchSize * owner.Steps;
            _batch = new TokenBatch(new int[size], new int[size], owner.BatchSize, owner.Steps);
        }

        public BatchWindow Current => _window >= 0 && _window < _owner.WindowsPerEpoch
            ? new BatchWindow(_batch, _window, _window > 0)
            : throw new InvalidOperationException("The enumerator is not positioned on a window.");

        object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_window + 1 >= _owner.WindowsPerEpoch)
            {
                _window = _owner.WindowsPerEpoch;
                return false;
            }
            _window++;
            ReadOnlySpan<int> tokens = _owner._tokens.Span;
            int steps = _owner.Steps;
            for (int row = 0; row < _owner.BatchSize; row++)
            {
                int start = row * _owner.RowLength + _window * steps;
                tokens.Slice(start, steps).CopyTo(_batch.Inputs.AsSpan(row * steps, steps));
                tokens.Slice(start + 1, steps).CopyTo(_batch.Targets.AsSpan(row * steps, steps));
            }
            return true;
        }

        public void Reset() => _window = -1;
        public void Dispose() { }
    }
}
