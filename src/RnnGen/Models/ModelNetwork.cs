using System.Numerics;

namespace RnnGen.Models;

/// <summary>
/// What every generated network shares, in one element type: the store of its parameters, its recurrent
/// stack and its linear output. Each topology's base adds its other modules and its <c>Step</c>.
/// </summary>
public abstract class ModelNetwork<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Every learned value, in PyTorch's state_dict order.</summary>
    public ParameterStore<T> Parameters { get; } = new();
    public abstract RecurrentStack<T> Rnn { get; }
    public abstract Linear<T> Output { get; }
}

/// <summary>A generated network that reads token ids through an embedding.</summary>
public abstract class TokenNetwork<T> : ModelNetwork<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    protected TokenNetwork(int vocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        VocabSize = vocabSize;
    }

    public int VocabSize { get; }
    public abstract Embedding<T> Embedding { get; }
}
