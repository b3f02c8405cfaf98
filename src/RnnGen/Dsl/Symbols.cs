namespace RnnGen;

// The DSL's types exist so that a cell's Step method type-checks as ordinary C#. The generator reads
// the method's syntax; nothing here ever runs, so every operator throws if called by mistake.

/// <summary>A vector in a cell's Step method: the input, a state, or an intermediate value.</summary>
public readonly struct Vec
{
    public static Vec operator +(Vec a, Vec b) => throw Spec.NotExecutable();
    public static Vec operator -(Vec a, Vec b) => throw Spec.NotExecutable();
    /// <summary>Elementwise product.</summary>
    public static Vec operator *(Vec a, Vec b) => throw Spec.NotExecutable();
    public static Vec operator -(Vec a) => throw Spec.NotExecutable();
    public static Vec operator +(Vec a) => throw Spec.NotExecutable();
    public static Vec operator +(float a, Vec b) => throw Spec.NotExecutable();
    public static Vec operator +(Vec a, float b) => throw Spec.NotExecutable();
    public static Vec operator -(float a, Vec b) => throw Spec.NotExecutable();
    public static Vec operator -(Vec a, float b) => throw Spec.NotExecutable();
    public static Vec operator *(float a, Vec b) => throw Spec.NotExecutable();
    public static Vec operator *(Vec a, float b) => throw Spec.NotExecutable();
    /// <summary>Elementwise quotient.</summary>
    public static Vec operator /(Vec a, Vec b) => throw Spec.NotExecutable();
    public static Vec operator /(float a, Vec b) => throw Spec.NotExecutable();
    public static Vec operator /(Vec a, float b) => throw Spec.NotExecutable();
    /// <summary>A number where a vector goes (<c>Max(h, 0)</c>, <c>Min(1, v)</c>): every element that number.</summary>
    public static implicit operator Vec(float value) => throw Spec.NotExecutable();
    /// <inheritdoc cref="op_Implicit(float)"/>
    public static implicit operator Vec(double value) => throw Spec.NotExecutable();
}

/// <summary>
/// A learned matrix. Its shape is inferred from use: <c>W * x</c> (x the cell's input) gives
/// [hidden, input]; <c>W * v</c> for a hidden-sized v gives [hidden, hidden].
/// </summary>
public readonly struct Weight
{
    /// <summary>Matrix-vector product.</summary>
    public static Vec operator *(Weight w, Vec v) => throw Spec.NotExecutable();
}

/// <summary>A learned vector of the hidden size; usable wherever a <see cref="Vec"/> is.</summary>
public readonly struct Bias
{
    public static implicit operator Vec(Bias b) => throw Spec.NotExecutable();
}

/// <summary>The functions a cell's Step method may call.</summary>
public static class Ops
{
    public static Vec Sigmoid(Vec v) => throw Spec.NotExecutable();
    public static Vec Tanh(Vec v) => throw Spec.NotExecutable();
    public static Vec Relu(Vec v) => throw Spec.NotExecutable();
    public static Vec Exp(Vec v) => throw Spec.NotExecutable();
    /// <summary>The larger of each pair of elements; the gradient goes to the larger, on a tie to <paramref name="a"/>.</summary>
    public static Vec Max(Vec a, Vec b) => throw Spec.NotExecutable();
    /// <summary>The smaller of each pair of elements; the gradient goes to the smaller, on a tie to <paramref name="a"/>.</summary>
    public static Vec Min(Vec a, Vec b) => throw Spec.NotExecutable();
    /// <summary><c>log(1 + e^v)</c>, computed without overflow.</summary>
    public static Vec Softplus(Vec v) => throw Spec.NotExecutable();
    /// <summary>The natural logarithm (NaN below zero).</summary>
    public static Vec Log(Vec v) => throw Spec.NotExecutable();
    /// <summary><c>log(Sigmoid(v))</c>, computed without overflow.</summary>
    public static Vec LogSigmoid(Vec v) => throw Spec.NotExecutable();
    /// <summary>The square root (NaN below zero).</summary>
    public static Vec Sqrt(Vec v) => throw Spec.NotExecutable();
    /// <summary>The absolute value; its gradient at zero is taken as zero.</summary>
    public static Vec Abs(Vec v) => throw Spec.NotExecutable();

    /// <summary>
    /// The cell's input one step earlier: zero at the first step of a sequence, and carried across windows with the
    /// state (the generator adds a state for it). <c>W * Prev(x)</c> is computed with the products of the input, for
    /// all steps at once; <c>Prev(x)</c> used elementwise needs the input size to equal the hidden size.
    /// </summary>
    public static Vec Prev(Vec input) => throw Spec.NotExecutable();

    /// <summary>
    /// Layer normalisation over the hidden dimension: <c>(v - mean(v)) / sqrt(var(v) + 1e-5) * gain + bias</c>.
    /// The gain starts at one and the bias at zero.
    /// </summary>
    public static Vec LayerNorm(Vec v, Bias gain, Bias bias) => throw Spec.NotExecutable();
}

internal static class Spec
{
    public static InvalidOperationException NotExecutable() =>
        new("RnnGen DSL types describe a cell for the source generator and are never executed. " +
            "Use the generated Forward and Backward methods instead.");
}
