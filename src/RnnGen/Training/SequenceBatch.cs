namespace RnnGen.Training;

/// <summary>
/// Token sequences of different lengths padded into one batch, time-major as the recurrence reads them:
/// <see cref="Tokens"/> is [Steps, Rows], padded with id 0 after each row's <see cref="Lengths"/> (any id would
/// do: nothing reads a padded position). Carries one label per row (classifiers) or one tag per token
/// (taggers, time-major, <see cref="Padding"/> past each row's end).
/// </summary>
public sealed class SequenceBatch
{
    /// <summary>The tag of a padded position.</summary>
    public const int Padding = -1;

    /// <param name="sequences">Token ids of each sequence, at least one each.</param>
    /// <param name="labels">One class per sequence (classifiers), or null.</param>
    /// <param name="tags">One tag per token (taggers), or null.</param>
    /// <param name="minSteps">Pads to at least this many steps (padding never changes a result; tests check that).</param>
    public SequenceBatch(IReadOnlyList<int[]> sequences, IReadOnlyList<int>? labels = null, IReadOnlyList<int[]>? tags = null, int minSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        if (labels is not null && labels.Count != sequences.Count)
            throw new ArgumentException($"{labels.Count} labels for {sequences.Count} sequences.", nameof(labels));
        if (tags is not null && tags.Count != sequences.Count)
            throw new ArgumentException($"{tags.Count} tag sequences for {sequences.Count} sequences.", nameof(tags));
        Rows = sequences.Count;
        Lengths = new int[Rows];
        for (int b = 0; b < Rows; b++)
        {
            var s = sequences[b] ?? throw new ArgumentException($"Sequence {b} is null.", nameof(sequences));
            if (s.Length == 0) throw new ArgumentException($"Sequence {b} is empty; every sequence needs at least one token.", nameof(sequences));
            if (tags is not null && tags[b]?.Length != s.Length)
                throw new ArgumentException($"Sequence {b} has {s.Length} tokens but {tags[b]?.Length ?? 0} tags.", nameof(tags));
            Lengths[b] = s.Length;
        }
        Steps = Math.Max(minSteps, Lengths.Max());
        Tokens = new int[Steps * Rows];
        Tags = tags is null ? null : new int[Steps * Rows];
        Tags?.AsSpan().Fill(Padding);
        for (int b = 0; b < Rows; b++)
            for (int s = 0; s < Lengths[b]; s++)
            {
                int id = sequences[b][s];
                if (id < 0) throw new ArgumentException($"Sequence {b} has token id {id} at position {s}; ids cannot be negative.", nameof(sequences));
                Tokens[s * Rows + b] = id;
                if (Tags is not null)
                {
                    int tag = tags![b][s];
                    if (tag < 0) throw new ArgumentException($"Sequence {b} has tag {tag} at position {s}; tags cannot be negative.", nameof(tags));
                    Tags[s * Rows + b] = tag;
                }
            }
        if (labels is not null)
        {
            Labels = labels.ToArray();
            for (int b = 0; b < Rows; b++)
                if (Labels[b] < 0) throw new ArgumentException($"Sequence {b} has label {Labels[b]}; labels cannot be negative.", nameof(labels));
        }
    }

    public int Rows { get; }
    public int Steps { get; }
    /// <summary>Token ids, time-major [Steps, Rows], 0 past each row's length.</summary>
    public int[] Tokens { get; }
    /// <summary>The real length of each row.</summary>
    public int[] Lengths { get; }
    /// <summary>One class per row, or null.</summary>
    public int[]? Labels { get; }
    /// <summary>One tag per position, time-major [Steps, Rows], <see cref="Padding"/> past each row's length; or null.</summary>
    public int[]? Tags { get; }
    /// <summary>The number of real tokens.</summary>
    public int TokenCount => Lengths.Sum();
}
