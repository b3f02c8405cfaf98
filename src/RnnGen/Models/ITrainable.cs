namespace RnnGen.Models;

/// <summary>What <see cref="Trainer"/> needs of a model of any topology.</summary>
public interface ITrainable
{
    /// <summary>Every learned tensor, with PyTorch's names and layouts.</summary>
    IReadOnlyList<Parameter> Parameters { get; }
    /// <summary>What the model is: topology, sizes and layers, also stored in checkpoints.</summary>
    ModelConfiguration Configuration { get; }
    /// <summary>Whether dropout is active (training) or not (evaluation and prediction).</summary>
    bool Training { get; set; }
    /// <summary>Reads parameters from any safetensors file that holds the model's tensors by name (extra tensors ignored).</summary>
    SafeTensorsFile Load(string path);
}
