namespace RnnGen.Training;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>,
    /// by <c>maxNorm / (norm + 1e-6)</c> when that factor is below one, and returns the norm before clipping.
    /// A non-finite norm (an overflowed or NaN gradient) is returned without touching the gradients, so the
    /// caller can skip the step instead of spreading NaN into every weight.
    /// </summary>
    public static float ClipGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0) || float.IsPositiveInfinity(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be positive and finite.");
        float norm = GlobalNorm(parameters);
        if (!float.IsFinite(norm)) return norm;
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1)
            for (int i = 0; i < parameters.Count; i++)
                System.Numerics.Tensors.TensorPrimitives.Multiply(parameters[i].Gradient, (float)scale, parameters[i].Gradient);
        return norm;
    }

    /// <summary>The L2 norm of all gradients taken as one vector.</summary>
    public static float GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
            sum += UpdateKernels.SumOfSquares(parameters[i].Gradient);
        return (float)Math.Sqrt(sum);
    }
}
