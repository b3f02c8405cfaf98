namespace RnnGen.Training;

/// <summary>
/// One step of an epoch from <see cref="LanguageModelBatches"/>: the batch, its index in the epoch, and
/// whether each of its rows continues where the same row of the previous window stopped. When it does, a
/// model may carry its hidden state over (truncated backpropagation through time); when it does not, the
/// state must start from zero.
/// </summary>
public readonly record struct BatchWindow(TokenBatch Batch, int Index, bool ContinuesPrevious);
