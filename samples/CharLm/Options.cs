namespace CharLm;

public enum Command { Train, Sample, Eval, Export, Help }

/// <summary>Everything the command line says. Null means "not given": the command picks its default.</summary>
public sealed record Options
{
    public const string DefaultOut = "runs/charlm";
    public const double DefaultMinutes = 5;
    public const int DefaultBatch = 32;
    public const int DefaultSteps = 64;
    public const float DefaultLearningRate = 3e-3f;
    public const int DefaultLength = 500;
    public const float DefaultTemperature = 0.8f;

    public Command Command { get; init; } = Command.Train;
    public string? Text { get; init; }
    public string? Model { get; init; }
    public int? Epochs { get; init; }
    public double? Minutes { get; init; }
    /// <summary>The fraction of the text held out for validation (its end), instead of the default 5% capped at 10,000 characters.</summary>
    public double? Validation { get; init; }
    public int? Batch { get; init; }
    public int? Steps { get; init; }
    public float? LearningRate { get; init; }
    public int? Seed { get; init; }
    public string Out { get; init; } = DefaultOut;
    public bool Resume { get; init; }
    /// <summary>Start afresh in an --out folder that already holds a run, replacing it.</summary>
    public bool Overwrite { get; init; }
    /// <summary>Train data-parallel over the ranks mpirun started (Open MPI); <see cref="Batch"/> stays the global batch.</summary>
    public bool Distributed { get; init; }
    public string? Checkpoint { get; init; }
    public int Length { get; init; } = DefaultLength;
    public float Temperature { get; init; } = DefaultTemperature;
    public int TopK { get; init; }
    public float TopP { get; init; } = 1;
    public string? Prompt { get; init; }
    /// <summary>sample and eval: run through a session at this precision; null: the model's forward pass (fp32).</summary>
    public RnnGen.Models.Precision? Precision { get; init; }
    /// <summary>Where <c>export</c> writes the ONNX model.</summary>
    public string? Onnx { get; init; }
    public bool Help { get; init; }
    /// <summary>The command named after <c>rnngen help</c>, if any.</summary>
    public string? HelpFor { get; init; }
}
