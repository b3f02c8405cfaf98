using System.Numerics;
using System.Numerics.Tensors;

namespace RnnGen.Modules;

/// <summary>A lookup table of learned vectors, one per token id: <c>{name}.weight</c> [vocab, width], drawn N(0, 1) as nn.Embedding.</summary>
public sealed class Embedding<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ParameterStore<T> _store;
    private T[] _output = [];

    public Embedding(ParameterStore<T> store, string name, int vocab, int width)
    {
        _store = store;
        Vocab = vocab;
        Width = width;
        Weight = store.Add(name + ".weight", [vocab, width], new Init.Normal(1));
    }

    public int Vocab { get; }
    public int Width { get; }
    public Slot Weight { get; }

    // forward: out[r, :] = weight[ids[r], :]            ids [rows] -> out [rows, width]
    public Span<T> Forward(ReadOnlySpan<int> ids)
    {
        var table = _store.Value(Weight);
        var output = Buffer.Get(ref _output, ids.Length * Width);
        for (int r = 0; r < ids.Length; r++)
        {
            int id = ids[r];
            if ((uint)id >= (uint)Vocab) throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary of {Vocab}.");
            table.Slice(id * Width, Width).CopyTo(output.Slice(r * Width, Width));
        }
        return output;
    }

    // backward: dweight[ids[r], :] += dout[r, :]         dout [rows, width]
    public void Backward(ReadOnlySpan<int> ids, ReadOnlySpan<T> dOutput)
    {
        var dTable = _store.Gradient(Weight);
        for (int r = 0; r < ids.Length; r++)
        {
            var row = dTable.Slice(ids[r] * Width, Width);
            TensorPrimitives.Add(row, dOutput.Slice(r * Width, Width), row);
        }
    }
}
