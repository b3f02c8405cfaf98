namespace RnnGen.Benchmarks.Latency;

/// <summary>(a) <see cref="LanguageModel.Stepper"/>, the batch-1 API a user had before sessions.</summary>
public sealed class StepperEngine(LanguageModel model) : ILatencyEngine
{
    private LanguageModel.Stepper _stepper = new(model);

    public string Name => "Stepper";

    // A Stepper has no reset: a new one starts from zeros (outside the timed tokens).
    public void Reset() => _stepper = new LanguageModel.Stepper(model);

    public ReadOnlySpan<float> Step(int token) => _stepper.Step(token);

    public void Dispose()
    {
    }
}
