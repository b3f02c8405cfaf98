using System.Numerics;

namespace RnnGen.Models;

/// <summary>
/// A sequence regressor: recurrent layers over series of input vectors and a linear output at every step,
/// trained with mean squared error over the real steps. A <see cref="SequenceRegressorAttribute"/> class
/// derives from it; the generator writes its network (<see cref="CreateNetwork{T}"/>).
/// </summary>
public abstract partial class SequenceRegressor : TrainableModel
{
    private readonly SequenceRegressorNetwork<float> _network;
    private readonly int _seed;

    protected SequenceRegressor(int seed)
    {
        _seed = seed;
        _network = CreateNetwork<float>(seed);
        var rnn = _network.Rnn;
        Attach(_network.Parameters, new ModelConfiguration(0, 0, LayerConfigurations.Of(rnn))
        {
            Kind = "sequence-regressor", Bidirectional = rnn.Bidirectional, Inputs = rnn.InputSize, Outputs = _network.Output.Outputs,
        }, seed);
    }

    /// <summary>The generated network of this model in <typeparamref name="T"/>: its modules and its training step.</summary>
    protected abstract SequenceRegressorNetwork<T> CreateNetwork<T>(int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    public int Inputs => _network.Rnn.InputSize;
    public int Outputs => _network.Output.Outputs;
    public SequenceRegressorNetwork<float> Network => _network;

    /// <summary>The same model in double precision with this model's current values: for gradient checks.</summary>
    public SequenceRegressorNetwork<double> ToDouble()
    {
        var network = CreateNetwork<double>(_seed);
        network.Parameters.CopyValuesFrom(_network.Parameters);
        return network;
    }

    /// <summary>A batch of this model's shape: each series row-major [steps, Inputs], targets [steps, Outputs].</summary>
    public RegressionBatch CreateBatch(IReadOnlyList<float[]> inputs, IReadOnlyList<float[]>? targets = null) =>
        new(inputs, Inputs, targets, targets is null ? 0 : Outputs);

    /// <summary>The mean squared error over the batch's real steps and outputs, and its gradients (overwritten).</summary>
    public float ForwardBackward(RegressionBatch batch)
    {
        using var _ = Caller.Enter();
        return _network.Step(Check(batch), Pass.Gradients, Training);
    }

    /// <summary>The mean squared error over the batch's real steps and outputs, forward only.</summary>
    public float Loss(RegressionBatch batch)
    {
        using var _ = Caller.Enter();
        return _network.Step(Check(batch), Pass.Loss, Training);
    }

    /// <summary>Per series, the outputs at every step, row-major [steps, Outputs] (no dropout).</summary>
    public float[][] Predict(IReadOnlyList<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var _ = Caller.Enter();
        var result = new float[inputs.Count][];
        foreach (var group in PredictionGroups(inputs, s => s?.Length ?? 0))
        {
            var batch = CreateBatch(group.Select(i => inputs[i]).ToArray());
            _network.Step(batch, Pass.Predict, training: false);
            var y = _network.Outputs;
            int B = batch.Rows, O = Outputs;
            for (int r = 0; r < B; r++)
            {
                var series = new float[batch.Lengths[r] * O];
                for (int s = 0; s < batch.Lengths[r]; s++) y.Slice((s * B + r) * O, O).CopyTo(series.AsSpan(s * O, O));
                result[group[r]] = series;
            }
        }
        return result;
    }

    private RegressionBatch Check(RegressionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.InputSize != Inputs) throw new ArgumentException($"The batch has {batch.InputSize} inputs per step, but the model takes {Inputs}.", nameof(batch));
        if (batch.Targets is not null && batch.OutputSize != Outputs)
            throw new ArgumentException($"The batch has {batch.OutputSize} targets per step, but the model predicts {Outputs}.", nameof(batch));
        return batch;
    }
}
