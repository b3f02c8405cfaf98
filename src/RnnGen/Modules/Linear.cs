using System.Numerics;
using System.Numerics.Tensors;

namespace RnnGen.Modules;

/// <summary>
/// An affine map applied to every row: <c>{name}.weight</c> [outputs, inputs] and <c>{name}.bias</c> [outputs],
/// both drawn uniform(±1/√inputs) as nn.Linear. The second constructor names the tensors itself (a bridge's
/// <c>bridge.weight_l{k}</c>) and may leave the bias out (nn.Linear(bias=False)).
/// </summary>
public sealed class Linear<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ParameterStore<T> _store;
    private T[] _output = [], _inputGradient = [];
    private int _rows;

    public Linear(ParameterStore<T> store, string name, int inputs, int outputs, double? bound = null)
        : this(store, name + ".weight", name + ".bias", inputs, outputs, bound)
    {
    }

    /// <summary>A map whose tensors are named <paramref name="weightName"/> and <paramref name="biasName"/> (null: no bias).</summary>
    public Linear(ParameterStore<T> store, string weightName, string? biasName, int inputs, int outputs, double? bound = null)
    {
        _store = store;
        Inputs = inputs;
        Outputs = outputs;
        var init = new Init.Uniform(bound ?? 1 / Math.Sqrt(inputs));
        Weight = store.Add(weightName, [outputs, inputs], init);
        if (biasName is not null) Bias = store.Add(biasName, [outputs], init);
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public Slot Weight { get; }
    /// <summary>The bias, unless the map has none: then its slot is null and nothing is added.</summary>
    public Slot? Bias { get; }
    /// <summary>The output of the last Forward, [rows, outputs].</summary>
    public Span<T> Result => _output.AsSpan(0, _rows * Outputs);

    // forward: y[r] = W x[r] + b                         x [rows, in] -> y [rows, out]
    public Span<T> Forward(ReadOnlySpan<T> x, int rows)
    {
        _rows = rows;
        var y = Buffer.Get(ref _output, rows * Outputs);
        if (Bias is { } bias)
        {
            var b = _store.Value(bias);
            for (int r = 0; r < rows; r++) b.CopyTo(y.Slice(r * Outputs, Outputs));
        }
        Gemm.Multiply<T>(false, true, rows, Outputs, Inputs, x, Inputs, _store.Value(Weight), Inputs, y, Outputs, accumulate: Bias is not null);
        return y;
    }

    // backward: db += Σ_r dy[r]; dW += dyᵀ x; dx = dy W  dy [rows, out] -> dx [rows, in] (skipped when not wanted)
    public Span<T> Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, int rows, bool inputGradient = true)
    {
        if (Bias is { } bias)
        {
            var db = _store.Gradient(bias);
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(db, dy.Slice(r * Outputs, Outputs), db);
        }
        Gemm.Multiply<T>(true, false, Outputs, Inputs, rows, dy, Outputs, x, Inputs, _store.Gradient(Weight), Inputs, accumulate: true);
        if (!inputGradient) return default;
        var dx = Buffer.Get(ref _inputGradient, rows * Inputs);
        Gemm.Multiply<T>(false, false, rows, Inputs, Outputs, dy, Outputs, _store.Value(Weight), Inputs, dx, Inputs, accumulate: false);
        return dx;
    }
}
