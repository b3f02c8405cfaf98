namespace RnnGen;

/// <summary>How a sequence classifier sums up a sequence's outputs into one vector.</summary>
public enum Pooling
{
    /// <summary>The output at the row's last real position; bidirectional: the backward half at position 0, which has read the whole row.</summary>
    Last,
    /// <summary>The mean of the outputs over the row's real positions.</summary>
    Mean,
    /// <summary>The largest value of each feature over the row's real positions.</summary>
    Max,
}
