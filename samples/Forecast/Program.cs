using System.Globalization;
using RnnGen;
using RnnGen.Datasets.Plots;
using RnnGen.Datasets.Synthetic;
using RnnGen.Training;

// One-step-ahead forecasting of a noisy sum of two sines: at every step a GRU reads the noisy value and
// predicts the next clean one, which takes inferring both sines' periods and phases from the history.
//   dotnet run -c Release --project samples/Forecast [-- --minutes 3 --seed 1]
// Trains within the time budget, reports the test RMSE next to two baselines without memory (the naive "next =
// current" and the best linear AR(1) forecast), and writes forecast.png (one test series: truth, forecast, input).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
double minutes = Option("--minutes", 3);
int seed = (int)Option("--seed", 1);

// Series of 50 steps, one value each; the target at step t is the clean signal at t + 1.
var (inputs, targets) = SineTasks.NoisySum(count: 20000, steps: 50, seed);
var (train, validation) = new RegressionSequences(inputs, targets).Split(0.1, seed);
var (testInputs, testTargets) = SineTasks.NoisySum(count: 1000, steps: 50, seed + 1000);
Console.WriteLine($"Series: {train.Count} train, {validation.Count} validation, {testInputs.Count} test, 50 steps each (noise σ = {SineTasks.DefaultNoise}).");

var model = new SineForecaster(seed);
string best = Path.Combine(Path.GetTempPath(), $"forecast-{Environment.ProcessId}.safetensors");
var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions
{
    BatchSize = 32, Epochs = 30, MaxDuration = TimeSpan.FromMinutes(minutes), Seed = seed, EarlyStoppingPatience = 4,
    CheckpointPath = best, Plateau = new ReduceOnPlateau(1e-2f, factor: 0.3f, patience: 2),
    Progress = new PrintValidations(),
}).Fit(train, validation);
Console.WriteLine($"Stopped: {history.StopReason}; best validation RMSE {history.Best!.Metric:F4}.");

// Score the best checkpoint on the test series against the baselines.
model.Load(best);
File.Delete(best);
var forecasts = model.Predict(testInputs);
var ar1 = SineTasks.LinearBaseline(testInputs, testTargets);
Console.WriteLine($"Test RMSE ({testInputs.Count} series):");
Console.WriteLine($"  GRU forecast           {SineTasks.Rmse(forecasts, testTargets):F4}");
Console.WriteLine($"  naive (next = current) {SineTasks.NaiveBaseline(testInputs, testTargets):F4}");
Console.WriteLine($"  AR(1), fitted on test  {ar1.Rmse:F4} (slope {ar1.Slope:F3}, intercept {ar1.Intercept:F4})");
// The first steps are guesses for any model: it has not seen a cycle yet.
var late = (Forecasts: forecasts.Select(f => f[10..]).ToList(), Targets: testTargets.Select(t => t[10..]).ToList());
Console.WriteLine($"  GRU forecast, steps 10-49 only: {SineTasks.Rmse(late.Forecasts, late.Targets):F4}");

// Plotted at the step they are about: truth and forecast of the value after input t, and input t + 1, its noisy observation.
ForecastPlot.Save("forecast.png", testTargets[0], forecasts[0], testInputs[0][1..],
    $"One-step-ahead forecast of a test series (RMSE {SineTasks.Rmse([forecasts[0]], [testTargets[0]]):F3})");
Console.WriteLine("Wrote forecast.png");

double Option(string name, double fallback) =>
    Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

// The model: one value in per step, a GRU layer, one value out per step (mean squared error).
[SequenceRegressor(Inputs = 1, Outputs = 1)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 32)]
public partial class SineForecaster;

// Prints each validation the trainer reports.
sealed class PrintValidations : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        if (p.Validation is { } v)
            Console.WriteLine($"{p.Elapsed:mm\\:ss} epoch {p.Epoch}: train loss {p.Loss:F5}, validation {v.MetricName} {v.Metric:F4}");
    }
}
