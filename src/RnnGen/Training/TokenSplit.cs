namespace RnnGen.Training;

/// <summary>A token stream cut in two: the head for training, the tail for validation.</summary>
public readonly record struct TokenSplit(ReadOnlyMemory<int> Train, ReadOnlyMemory<int> Validation);
