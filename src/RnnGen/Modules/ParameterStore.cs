using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// Every learned value of a model in one flat buffer, and its gradients in another of the same layout
/// (llm.c's params_memory / grads_memory). Modules declare their slots while the model is built; the
/// buffers are allocated on first use, after which the layout is fixed.
/// </summary>
public sealed class ParameterStore<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly List<Slot> _slots = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private T[]? _values, _gradients;
    private int _length;

    public IReadOnlyList<Slot> Slots => _slots;
    /// <summary>The number of learned values.</summary>
    public int Length => _length;
    public T[] Values => _values ??= new T[_length];
    public T[] Gradients
    {
        get
        {
            _values ??= new T[_length]; // either buffer fixes the layout
            return _gradients ??= new T[_length];
        }
    }

    /// <summary>Declares a tensor named <paramref name="name"/> with its own initialisation rule.</summary>
    public Slot Add(string name, int[] shape, Init init)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(init);
        if (_values is not null) throw new InvalidOperationException($"The parameters are already allocated; '{name}' comes too late.");
        if (!_names.Add(name)) throw new ArgumentException($"Two parameters are named '{name}'.", nameof(name));
        int length = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d, nameof(shape));
            length = checked(length * d);
        }
        var slot = new Slot(name, shape, _length, length, init);
        _slots.Add(slot);
        _length = checked(_length + length);
        return slot;
    }

    /// <summary>Declares every tensor of <paramref name="cell"/> as <c>{prefix}.{tensor}{suffix}</c>; returns where the cell's span starts.</summary>
    public int AddCell(string prefix, string suffix, IRecurrentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        int at = _length;
        var rule = new Init.ByCell(cell);
        // The cell's own layout is contiguous: its tensors land at at + p.Offset.
        foreach (var p in cell.Parameters.OrderBy(p => p.Offset))
        {
            var slot = Add($"{prefix}.{p.Name}{suffix}", p.Shape, rule);
            if (slot.Offset != at + p.Offset) throw new InvalidOperationException($"Cell {cell.GetType().Name} has a gap in its parameter layout before '{p.Name}'.");
        }
        if (_length != at + cell.ParameterCount) throw new InvalidOperationException($"Cell {cell.GetType().Name} declares {cell.ParameterCount} values but its tensors hold {_length - at}.");
        return at;
    }

    public Span<T> Value(Slot slot) => Values.AsSpan(slot.Offset, slot.Length);
    public Span<T> Gradient(Slot slot) => Gradients.AsSpan(slot.Offset, slot.Length);
    public Span<T> Value(int offset, int length) => Values.AsSpan(offset, length);
    public Span<T> Gradient(int offset, int length) => Gradients.AsSpan(offset, length);

    /// <summary>Backward passes add into the gradients; a training step starts from zero.</summary>
    public void ZeroGradients() => Array.Clear(Gradients);

    /// <summary>Draws every slot by its rule, in declaration order (a cell draws all its tensors at its first slot).</summary>
    public void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        IRecurrentCell? drawn = null;
        foreach (var slot in _slots)
        {
            var span = Value(slot);
            switch (slot.Init)
            {
                case Init.Normal n:
                    for (int i = 0; i < span.Length; i++)
                    {
                        // Box-Muller: a standard normal from two uniforms.
                        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                        span[i] = T.CreateTruncating(n.StandardDeviation * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                    }
                    break;
                case Init.Uniform u:
                    CellSupport.Uniform(span, random, u.Bound);
                    break;
                case Init.Constant c:
                    span.Fill(T.CreateTruncating(c.Value));
                    break;
                case Init.ByCell byCell when !ReferenceEquals(byCell.Cell, drawn):
                    drawn = byCell.Cell;
                    byCell.Cell.Initialize<T>(Values.AsSpan(slot.Offset, byCell.Cell.ParameterCount), random);
                    break;
            }
        }
    }

    /// <summary>Copies the values of a store with the same layout (another element type allowed).</summary>
    public void CopyValuesFrom<TOther>(ParameterStore<TOther> other) where TOther : unmanaged, IBinaryFloatingPointIeee754<TOther>
    {
        if (other.Length != Length) throw new ArgumentException($"The other store holds {other.Length} values, this one {Length}.", nameof(other));
        var from = other.Values;
        var to = Values;
        for (int i = 0; i < to.Length; i++) to[i] = T.CreateTruncating(from[i]);
    }
}
