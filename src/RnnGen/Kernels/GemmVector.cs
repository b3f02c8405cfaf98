using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Kernels;

/// <summary>The instruction set a GEMM runs on; chosen once from the hardware, or forced by tests.</summary>
internal enum GemmIsa
{
    Scalar,
    Vector256,
    Vector512,
}

/// <summary>
/// The few vector operations the GEMM kernels need, over raw pointers. The kernels are written once
/// against this interface and instantiated per register width, so the JIT emits straight-line code
/// for each; <see cref="Rows"/> is the height of the register tile that width can hold.
/// </summary>
internal unsafe interface IGemmVector<TSelf, T>
    where TSelf : struct, IGemmVector<TSelf, T>
    where T : unmanaged
{
    static abstract int Count { get; }
    /// <summary>Rows of the micro-kernel's register tile (MR); its width is two vectors (NR = 2 Count).</summary>
    static abstract int Rows { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf Load(T* source);
    static abstract void Store(T* destination, TSelf value);
    /// <summary>Every lane set to *source (an embedded broadcast operand on AVX-512).</summary>
    static abstract TSelf Broadcast(T* source);
    /// <summary>a * b + c, fused where the hardware can.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Add(TSelf a, TSelf b);
    static abstract T Sum(TSelf a);
}

internal readonly unsafe struct GemmVector512<T>(Vector512<T> value) : IGemmVector<GemmVector512<T>, T>
    where T : unmanaged
{
    private readonly Vector512<T> _value = value;

    public static int Count => Vector512<T>.Count;
    // 8 rows x 2 vectors = 16 accumulators of the 32 zmm registers: enough independent FMA chains to
    // cover 2 pipes x 4 cycles latency, leaving room for the B vectors and broadcasts.
    public static int Rows => 8;
    public static GemmVector512<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector512<T> Load(T* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, GemmVector512<T> value) => value._value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector512<T> Broadcast(T* source) => new(Vector512.Create(*source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector512<T> MultiplyAdd(GemmVector512<T> a, GemmVector512<T> b, GemmVector512<T> c)
    {
        if (typeof(T) == typeof(float))
            return new(Vector512.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), c._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector512.FusedMultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), c._value.AsDouble()).As<double, T>());
        return new(a._value * b._value + c._value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector512<T> Add(GemmVector512<T> a, GemmVector512<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(GemmVector512<T> a) => Vector512.Sum(a._value);
}

internal readonly unsafe struct GemmVector256<T>(Vector256<T> value) : IGemmVector<GemmVector256<T>, T>
    where T : unmanaged
{
    private readonly Vector256<T> _value = value;

    public static int Count => Vector256<T>.Count;
    // AVX2 has 16 ymm registers: 6 x 2 = 12 accumulators + 2 B vectors + 1 broadcast.
    public static int Rows => 6;
    public static GemmVector256<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector256<T> Load(T* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, GemmVector256<T> value) => value._value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector256<T> Broadcast(T* source) => new(Vector256.Create(*source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector256<T> MultiplyAdd(GemmVector256<T> a, GemmVector256<T> b, GemmVector256<T> c)
    {
        // Without FMA hardware Vector256.FusedMultiplyAdd would be emulated lane by lane: far slower
        // than a separate multiply and add.
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
                return new(Fma.MultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), c._value.AsSingle()).As<float, T>());
            if (typeof(T) == typeof(double))
                return new(Fma.MultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), c._value.AsDouble()).As<double, T>());
        }
        return new(a._value * b._value + c._value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmVector256<T> Add(GemmVector256<T> a, GemmVector256<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(GemmVector256<T> a) => Vector256.Sum(a._value);
}

/// <summary>One element per "vector": the portable fallback, also the shape tests use to cover edge logic.</summary>
internal readonly unsafe struct GemmScalar<T>(T value) : IGemmVector<GemmScalar<T>, T>
    where T : unmanaged, System.Numerics.INumber<T>
{
    private readonly T _value = value;

    public static int Count => 1;
    public static int Rows => 4;
    public static GemmScalar<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmScalar<T> Load(T* source) => new(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, GemmScalar<T> value) => *destination = value._value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmScalar<T> Broadcast(T* source) => new(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmScalar<T> MultiplyAdd(GemmScalar<T> a, GemmScalar<T> b, GemmScalar<T> c) => new(a._value * b._value + c._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GemmScalar<T> Add(GemmScalar<T> a, GemmScalar<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(GemmScalar<T> a) => a._value;
}
