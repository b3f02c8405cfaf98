namespace RnnGen.Models;

/// <summary>
/// The states of every layer of a language model for a fixed number of rows, carried from one window of a
/// token stream to the next (truncated backpropagation through time).
/// </summary>
public sealed class RecurrentState : RecurrentState<float>
{
    internal RecurrentState(int batchSize, IEnumerable<IRecurrentCell> layers) : base(batchSize, layers)
    {
    }
}
