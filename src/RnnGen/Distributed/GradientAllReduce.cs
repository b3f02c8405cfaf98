namespace RnnGen.Distributed;

/// <summary>
/// Sums the gradients of every rank: each rank first scales its own by its share of the global batch's loss terms
/// (w_r / W), so that the sum is the gradient of the global batch's mean, then the flat gradient buffer goes out in
/// buckets of about <see cref="BucketValues"/> values, in a fixed order: the last parameters first, as backward
/// produces them, each bucket whole parameters (PyTorch DDP's layout). Every rank gets the same bits.
/// </summary>
internal sealed class GradientAllReduce
{
    /// <summary>About 4 MiB of floats per bucket: big enough to amortise each message's latency, small enough to pipeline.</summary>
    internal const int BucketValues = 1 << 20;
    private readonly ICommunicator _communicator;
    private readonly float[] _gradients;
    private readonly Range[] _buckets;

    public GradientAllReduce(ICommunicator communicator, IReadOnlyList<Training.Parameter> parameters, int bucketValues = BucketValues)
    {
        _communicator = communicator;
        _gradients = parameters.Count == 0 ? [] : parameters[0].GradientBuffer;
        foreach (var p in parameters)
            if (!ReferenceEquals(p.GradientBuffer, _gradients))
                throw new ArgumentException($"Parameter '{p.Name}' does not share the model's flat gradient buffer.", nameof(parameters));
        _buckets = Plan(parameters, bucketValues);
    }

    /// <summary>The buckets, as ranges of the flat buffer, in the order they are sent.</summary>
    internal IReadOnlyList<Range> Buckets => _buckets;

    /// <summary>
    /// Whole parameters, walked from the last to the first, closed into a bucket once it holds
    /// <paramref name="bucketValues"/> values; a parameter bigger than that is a bucket of its own.
    /// </summary>
    internal static Range[] Plan(IReadOnlyList<Training.Parameter> parameters, int bucketValues)
    {
        var buckets = new List<Range>();
        int end = -1, start = 0;
        foreach (var p in parameters.OrderByDescending(p => p.Offset))
        {
            if (end < 0) end = p.Offset + p.Length;
            start = p.Offset;
            if (end - start >= bucketValues)
            {
                buckets.Add(start..end);
                end = -1;
            }
        }
        if (end >= 0) buckets.Add(start..end);
        return buckets.ToArray();
    }

    /// <summary>
    /// Scales this rank's gradients by <paramref name="share"/> (its terms over the global batch's) and sums them over
    /// the ranks in place.
    /// </summary>
    public void Reduce(double share)
    {
        if (share != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(_gradients, (float)share, _gradients);
        _communicator.AllReduceSum(_gradients, _buckets);
    }
}
