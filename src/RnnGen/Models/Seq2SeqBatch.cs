namespace RnnGen.Models;

/// <summary>
/// A batch of source/target sentence pairs of any lengths, in any order, padded to the longest (or to
/// a chosen minimum, which tests use to show that padding changes nothing). Ids are stored time-major.
/// </summary>
/// <remarks>
/// The decoder reads <c>&lt;bos&gt;</c> followed by the target (teacher forcing) and must predict the
/// target followed by <c>&lt;eos&gt;</c>, so <see cref="TargetSteps"/> is the longest target plus one.
/// Padded source positions are masked out of attention and never reach a real position of the encoder
/// (the backward direction reads each row's real tokens reversed, keeping padding at the end); padded
/// target positions are left out of the loss.
/// </remarks>
public sealed class Seq2SeqBatch
{
    /// <summary>Marks a padded target position in <see cref="DecoderTargets"/>.</summary>
    public const int Ignore = -1;

    public Seq2SeqBatch(IReadOnlyList<int[]> sources, IReadOnlyList<int[]>? targets, int beginId, int endId, int paddingId = 0,
        int minSourceSteps = 0, int minTargetSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) throw new ArgumentException("A batch needs at least one sentence.", nameof(sources));
        if (targets is not null && targets.Count != sources.Count)
            throw new ArgumentException($"{sources.Count} sources but {targets.Count} targets.", nameof(targets));
        int B = BatchSize = sources.Count;
        SourceLengths = new int[B];
        TargetLengths = new int[B];
        int S = minSourceSteps, T = Math.Max(1, minTargetSteps);
        for (int b = 0; b < B; b++)
        {
            var source = sources[b] ?? throw new ArgumentException($"Source {b} is null.", nameof(sources));
            if (source.Length == 0) throw new ArgumentException($"Source {b} is empty.", nameof(sources));
            SourceLengths[b] = source.Length;
            S = Math.Max(S, source.Length);
            TargetLengths[b] = targets is null ? 0 : targets[b].Length + 1;
            T = Math.Max(T, TargetLengths[b]);
        }
        SourceSteps = S;
        TargetSteps = T;
        SourceIds = new int[S * B];
        DecoderInputs = new int[T * B];
        DecoderTargets = new int[T * B];
        Array.Fill(SourceIds, paddingId);
        Array.Fill(DecoderInputs, paddingId);
        Array.Fill(DecoderTargets, Ignore);
        for (int b = 0; b < B; b++)
        {
            for (int s = 0; s < sources[b].Length; s++) SourceIds[s * B + b] = sources[b][s];
            if (targets is null) continue;
            var target = targets[b];
            DecoderInputs[b] = beginId;
            for (int t = 0; t < target.Length; t++)
            {
                DecoderInputs[(t + 1) * B + b] = target[t];
                DecoderTargets[t * B + b] = target[t];
            }
            DecoderTargets[target.Length * B + b] = endId;
        }
        for (int b = 0; b < B; b++) TargetTokenCount += TargetLengths[b];
    }

    public int BatchSize { get; }
    /// <summary>The padded source length S.</summary>
    public int SourceSteps { get; }
    /// <summary>The padded decoder length T (the longest target plus one).</summary>
    public int TargetSteps { get; }
    /// <summary>Each row's real source length.</summary>
    public int[] SourceLengths { get; }
    /// <summary>Each row's real decoder length (its target plus <c>&lt;eos&gt;</c>; 0 without targets).</summary>
    public int[] TargetLengths { get; }
    /// <summary>[S, B] time-major source ids, padding where s ≥ the row's length.</summary>
    public int[] SourceIds { get; }
    /// <summary>[T, B] time-major decoder inputs: &lt;bos&gt; then the target, then padding.</summary>
    public int[] DecoderInputs { get; }
    /// <summary>[T, B] time-major expected outputs: the target then &lt;eos&gt;, then <see cref="Ignore"/>.</summary>
    public int[] DecoderTargets { get; }
    /// <summary>The number of real (unpadded) decoder targets: the loss is averaged over these.</summary>
    public int TargetTokenCount { get; }
}
