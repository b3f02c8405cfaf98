using RnnGen.Generators.Model;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    private void EmitDispatch(string method, string arguments, string type)
    {
        _w.Line($"if (global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) {method}<{type}, {Kernels}.Simd512<{type}>>({arguments});");
        _w.Line($"else if (global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) {method}<{type}, {Kernels}.Simd256<{type}>>({arguments});");
        _w.Line($"else {method}<{type}, {Kernels}.Scalar<{type}>>({arguments});");
    }

    // The fused passes run millions of times in a training run: compile them fully optimised at once
    // instead of through the tiers, so that short runs and benchmarks see the same code as long ones.
    private const string HotPath = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    private static string Span(string type, bool readOnly = false) => $"global::System.{(readOnly ? "ReadOnlySpan" : "Span")}<{type}>";

    private string Label(int id) => _nodes[id].Kind == NodeKind.Output ? StateName(_nodes[id].StateIndex) + "'" : _names[id];
}
