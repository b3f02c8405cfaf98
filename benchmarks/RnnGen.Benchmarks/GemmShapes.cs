namespace RnnGen.Benchmarks;

/// <summary>A product to measure: C[m, n] = op(A)[m, k] · op(B)[k, n].</summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool TransposeA = false, bool TransposeB = false)
{
    public double Flops => 2.0 * M * N * K;
    public override string ToString() => Name;

    /// <summary>The shapes the issue asks about: square products and the ones an LSTM language model makes.</summary>
    public static readonly GemmShape[] All =
    [
        new("512^3", 512, 512, 512),
        new("1024^3", 1024, 1024, 1024),
        new("[2048x64]·[64x384] input projection", 2048, 384, 64),
        new("[32x128]·[128x384] recurrent step", 32, 384, 128),
        new("[32x512]·[512x1536] recurrent step", 32, 1536, 512),
        new("[32x512]·[512x2048] recurrent step", 32, 2048, 512),
        new("[1x512]·[512x1536] batch-1 step", 1, 1536, 512),
        new("[2048x1536]ᵀ·[2048x512] weight gradient", 1536, 512, 2048, TransposeA: true),
    ];
}

/// <summary>Random operands for one shape, stored as the transposes say.</summary>
public sealed class GemmOperands
{
    public readonly GemmShape Shape;
    public readonly float[] A, B, C;
    public readonly int Lda, Ldb;

    public GemmOperands(GemmShape s)
    {
        Shape = s;
        var rng = new Random(1);
        A = new float[s.M * s.K];
        B = new float[s.K * s.N];
        C = new float[s.M * s.N];
        for (int i = 0; i < A.Length; i++) A[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < B.Length; i++) B[i] = (float)rng.NextDouble() - 0.5f;
        Lda = s.TransposeA ? s.M : s.K;
        Ldb = s.TransposeB ? s.K : s.N;
    }

    public void Multiply() =>
        Kernels.Gemm.Multiply(Shape.TransposeA, Shape.TransposeB, Shape.M, Shape.N, Shape.K, A, Lda, B, Ldb, C, Shape.N, false);
}
