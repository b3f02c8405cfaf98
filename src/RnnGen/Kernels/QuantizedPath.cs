using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Which code a <see cref="QuantizedMatrix"/> product runs. Each path is deterministic and computes a row the
/// same way whatever rows go with it; the float paths may differ from each other in the last bits (their sums
/// are grouped by the vector width), while int8's integer sums are exact and agree on every path.
/// </summary>
internal enum QuantizedPath
{
    Scalar,
    Vector256,
    Vector512,
}

internal static class QuantizedPaths
{
    /// <summary>The widest path this machine runs in hardware; tests choose the others explicitly.</summary>
    public static readonly QuantizedPath Hardware =
        Vector512.IsHardwareAccelerated ? QuantizedPath.Vector512
        : Vector256.IsHardwareAccelerated ? QuantizedPath.Vector256
        : QuantizedPath.Scalar;
}
