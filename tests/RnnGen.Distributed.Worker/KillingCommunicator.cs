namespace RnnGen.Distributed.Worker;

/// <summary>
/// MPI's world, except that on one rank the process kills itself (SIGKILL, nothing cleaned up) when it is about to
/// sum the gradients of a given step: a rank dying in the middle of a run.
/// </summary>
public sealed class KillingCommunicator(ICommunicator inner, int rank, int step) : ICommunicator
{
    private int _reductions;

    public int Rank => inner.Rank;
    public int Size => inner.Size;
    public void Broadcast(Span<float> values, int root) => inner.Broadcast(values, root);
    public void Broadcast(Span<double> values, int root) => inner.Broadcast(values, root);
    public void AllReduceSum(Span<double> values) => inner.AllReduceSum(values);
    public void Barrier() => inner.Barrier();

    public void AllReduceSum(float[] values, ReadOnlySpan<Range> buckets)
    {
        // The gradients are the only multi-bucket reduction of a step (a carried state's is one bucket of Range.All).
        if (!buckets[0].Equals(Range.All) && ++_reductions == step && inner.Rank == rank)
        {
            Console.Error.WriteLine($"worker: rank {rank} kills itself at step {step}");
            System.Diagnostics.Process.GetCurrentProcess().Kill(); // SIGKILL: no handler, no cleanup
        }
        inner.AllReduceSum(values, buckets);
    }
}
