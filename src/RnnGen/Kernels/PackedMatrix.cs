using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnGen.Kernels;

/// <summary>
/// The right-hand operand op(B) [k, n] of a product, copied once into the order the micro-kernel reads it,
/// so that many products with the same B (a recurrent weight matrix at every time step) skip the packing
/// and read B at unit stride. Fill it with <see cref="Gemm.Pack{T}(bool, int, int, ReadOnlySpan{T}, int, PackedMatrix{T})"/>
/// and use it with <see cref="Gemm.Multiply{T}(int, ReadOnlySpan{T}, int, PackedMatrix{T}, Span{T}, int, bool)"/>.
/// </summary>
/// <remarks>
/// Layout: k is cut into blocks of <see cref="BlockDepth"/> rows; block p starts at p · <see cref="PaddedColumns"/>
/// and holds the ceil(n / NR) column panels of that block one after the other, each kc x NR values
/// (for each k, NR consecutive columns), the last panel padded with zeros. NR and the block depth are
/// those of the kernel width the machine runs, recorded at packing time.
/// Packing again reuses the buffer when it is large enough, so a warmed-up instance allocates nothing.
/// Packing is not thread-safe; any number of products may read a packed matrix at once.
/// </remarks>
public sealed unsafe class PackedMatrix<T>
    where T : unmanaged
{
    private byte[]? _buffer;

    /// <summary>Rows of op(B): the inner dimension of the products.</summary>
    public int K { get; private set; }

    /// <summary>Columns of op(B): the columns of C.</summary>
    public int N { get; private set; }

    /// <summary>Elements the buffer holds room for (grows, never shrinks).</summary>
    public long Capacity => _buffer is null ? 0 : (_buffer.Length - 64) / sizeof(T);

    /// <summary>The kernel width the panels were laid out for.</summary>
    internal GemmIsa Isa { get; private set; }

    /// <summary>NR: the width of one column panel.</summary>
    internal int PanelWidth { get; private set; }

    /// <summary>KC: the depth of one block of k (the last block may be shallower).</summary>
    internal int BlockDepth { get; private set; }

    /// <summary>n rounded up to a whole number of panels: the stride between blocks of k.</summary>
    internal int PaddedColumns { get; private set; }

    /// <summary>The first packed value, 64-byte aligned; the buffer lives on the pinned heap, so it never moves.</summary>
    internal T* Data { get; private set; }

    /// <summary>Sets the shape and layout and makes room for it, keeping the buffer when it is big enough.</summary>
    internal void Reshape(GemmIsa isa, int panelWidth, int blockDepth, int k, int n)
    {
        int padded = GemmPacking.RoundUp(n, panelWidth);
        long bytes = (long)padded * k * sizeof(T) + 64;
        if (bytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(n), $"A packed [{k}, {n}] matrix does not fit in one array.");
        if (_buffer is null || _buffer.Length < bytes)
        {
            _buffer = null; // let the old one go before the new one is allocated
            _buffer = GC.AllocateUninitializedArray<byte>((int)Math.Max(bytes, 4096), pinned: true);
        }
        nint address = (nint)Unsafe.AsPointer(ref _buffer[0]);
        Data = (T*)((address + 63) & ~(nint)63);
        Isa = isa;
        PanelWidth = panelWidth;
        BlockDepth = blockDepth;
        PaddedColumns = padded;
        K = k;
        N = n;
    }
}
