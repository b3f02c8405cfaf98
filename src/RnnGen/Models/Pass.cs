namespace RnnGen.Models;

/// <summary>How far a generated training step goes.</summary>
public enum Pass
{
    /// <summary>Forward to the predictions only (no targets needed).</summary>
    Predict,
    /// <summary>Forward to the loss.</summary>
    Loss,
    /// <summary>Forward, then backward in exact reverse order: the gradients of the mean loss, overwritten.</summary>
    Gradients,
}
