namespace RnnGen.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over the processes (ranks) of one job. Every rank
/// calls the same operations in the same order; each returns when all ranks have taken part.
/// <see cref="MpiCommunicator"/> is the one over MPI; a test can wrap it (to fail on purpose, say).
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's index, from 0; rank 0 validates, writes checkpoints and reports progress.</summary>
    int Rank { get; }
    /// <summary>How many processes train together.</summary>
    int Size { get; }
    /// <summary>Overwrites <paramref name="values"/> on every rank with rank <paramref name="root"/>'s.</summary>
    void Broadcast(Span<float> values, int root);
    /// <inheritdoc cref="Broadcast(Span{float}, int)"/>
    void Broadcast(Span<double> values, int root);
    /// <summary>Replaces <paramref name="values"/> on every rank with their sum over the ranks (the same bits everywhere).</summary>
    void AllReduceSum(Span<double> values);
    /// <summary>
    /// Sums the <paramref name="buckets"/> (ranges of <paramref name="values"/>) over the ranks in place, in the order
    /// given, all of them started before the first is waited for.
    /// </summary>
    void AllReduceSum(float[] values, ReadOnlySpan<Range> buckets);
    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();
}
