namespace RnnGen.Tests.Training;

public class OptimizerTests
{
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float tolerance = 1e-6f * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    // Reference: torch.optim.Adam / AdamW written out one element at a time.
    private static void ReferenceAdam(float[] p, float[] g, float[] m, float[] v, int t, float lr, float b1, float b2, float eps, float wd, bool decoupled)
    {
        double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
        for (int i = 0; i < p.Length; i++)
        {
            float grad = g[i];
            if (decoupled) p[i] *= (float)(1 - (double)lr * wd);
            else grad += wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * grad;
            v[i] = b2 * v[i] + (1 - b2) * grad * grad;
            double mHat = m[i] / bc1;
            double denom = Math.Sqrt(v[i]) / Math.Sqrt(bc2) + eps;
            p[i] = (float)(p[i] - lr * mHat / denom);
        }
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(false, 0.05f)]
    [InlineData(true, 0.01f)]
    [InlineData(true, 0.3f)]
    public void Adam_and_AdamW_match_the_reference_update(bool decoupled, float weightDecay)
    {
        var model = TestParameters.Default();
        float[] p = (float[])model.Values.Clone(), m = new float[p.Length], v = new float[p.Length];
        const float lr = 0.01f;
        Optimizer optimizer = decoupled ? new AdamW(lr, weightDecay: weightDecay) : new Adam(lr, weightDecay: weightDecay);
        for (int t = 1; t <= 5; t++)
        {
            model.SetGradients(t);
            optimizer.Step(model.List);
            ReferenceAdam(p, model.Gradients, m, v, t, lr, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled);
            AssertClose(p, model.Values);
        }
        Assert.Equal(5, optimizer.StepCount);
    }

    [Fact]
    public void Adam_first_step_moves_each_weight_by_about_the_learning_rate_against_the_gradient_sign()
    {
        // With bias correction, m_hat / sqrt(v_hat) = g / |g| on the first step.
        var model = TestParameters.Default();
        float[] before = (float[])model.Values.Clone();
        model.SetGradients(1);
        new Adam(0.1f).Step(model.List);
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] - 0.1f * Math.Sign(model.Gradients[i]), model.Values[i], 5);
    }

    [Fact]
    public void AdamW_decays_weights_even_with_zero_gradient_and_Adam_does_not_without_decay()
    {
        var model = TestParameters.Default();
        float[] before = (float[])model.Values.Clone();
        new AdamW(0.1f, weightDecay: 0.5f).Step(model.List);
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] * 0.95f, model.Values[i], 6);

        var other = TestParameters.Default();
        new Adam(0.1f).Step(other.List);
        Assert.Equal(before, other.Values);
    }

    // Reference: torch.optim.SGD written out one element at a time.
    private static void ReferenceSgd(float[] p, float[] g, float[] buf, bool first, float lr, float momentum, float dampening, float wd, bool nesterov)
    {
        for (int i = 0; i < p.Length; i++)
        {
            float grad = g[i] + wd * p[i];
            if (momentum != 0)
            {
                buf[i] = first ? grad : momentum * buf[i] + (1 - dampening) * grad;
                grad = nesterov ? grad + momentum * buf[i] : buf[i];
            }
            p[i] -= lr * grad;
        }
    }

    [Theory]
    [InlineData(0f, 0f, 0f, false)]
    [InlineData(0f, 0f, 0.1f, false)]
    [InlineData(0.9f, 0f, 0f, false)]
    [InlineData(0.9f, 0.25f, 0.01f, false)]
    [InlineData(0.8f, 0f, 0.02f, true)]
    public void Sgd_matches_the_reference_update(float momentum, float dampening, float weightDecay, bool nesterov)
    {
        var model = TestParameters.Default();
        float[] p = (float[])model.Values.Clone(), buf = new float[p.Length];
        var sgd = new Sgd(0.05f, momentum, dampening, weightDecay, nesterov);
        for (int t = 1; t <= 5; t++)
        {
            model.SetGradients(t);
            sgd.Step(model.List);
            ReferenceSgd(p, model.Gradients, buf, t == 1, 0.05f, momentum, dampening, weightDecay, nesterov);
            AssertClose(p, model.Values);
        }
    }

    [Fact]
    public void Learning_rate_changes_take_effect_on_the_next_step()
    {
        var model = TestParameters.Default();
        float[] before = (float[])model.Values.Clone();
        var sgd = new Sgd(1f);
        model.SetGradients(1);
        sgd.LearningRate = 0.25f;
        sgd.Step(model.List);
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] - 0.25f * model.Gradients[i], model.Values[i], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = float.NaN);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void Exported_state_resumes_with_identical_steps(string kind)
    {
        Optimizer Create() => kind switch
        {
            "adam" => new Adam(0.01f, weightDecay: 0.01f),
            "adamw" => new AdamW(0.01f),
            _ => new Sgd(0.05f, momentum: 0.9f, nesterov: true),
        };
        var straight = TestParameters.Default();
        var resumed = TestParameters.Default();
        var first = Create();
        for (int t = 1; t <= 3; t++)
        {
            straight.SetGradients(t);
            first.Step(straight.List);
        }
        Array.Copy(straight.Values, resumed.Values, straight.Values.Length);
        var state = first.ExportState();
        var second = Create();
        second.ImportState(state);
        Assert.Equal(3, second.StepCount);
        for (int t = 4; t <= 6; t++)
        {
            straight.SetGradients(t);
            first.Step(straight.List);
            resumed.SetGradients(t);
            second.Step(resumed.List);
            Assert.Equal(straight.Values, resumed.Values);
        }
        Assert.Equal(first.StepCount, second.StepCount);
    }

    [Fact]
    public void Exported_state_is_keyed_by_parameter_name_and_slot_and_is_a_copy()
    {
        var model = TestParameters.Default();
        var adam = new Adam();
        model.SetGradients(1);
        adam.Step(model.List);
        var state = adam.ExportState();
        Assert.Equal(
            new[] { "output.weight.exp_avg", "output.weight.exp_avg_sq", "rnn.bias_ih_l0.exp_avg", "rnn.bias_ih_l0.exp_avg_sq",
                    "rnn.weight_ih_l0.exp_avg", "rnn.weight_ih_l0.exp_avg_sq", Optimizer.StepKey },
            state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(35, state["rnn.weight_ih_l0.exp_avg"].Length);
        Assert.Equal(new float[] { 1, 0 }, state[Optimizer.StepKey]);
        float[] copy = (float[])state["output.weight.exp_avg"].Clone();
        adam.Step(model.List);
        Assert.Equal(copy, state["output.weight.exp_avg"]);
    }

    [Fact]
    public void Step_count_beyond_float_precision_survives_export()
    {
        var sgd = new Sgd(0.1f);
        var state = new Dictionary<string, float[]> { [Optimizer.StepKey] = [123_456, 789] };
        sgd.ImportState(state);
        Assert.Equal((789L << 24) + 123_456, sgd.StepCount);
        Assert.Equal(new float[] { 123_456, 789 }, sgd.ExportState()[Optimizer.StepKey]);
    }

    [Fact]
    public void Import_rejects_state_of_another_optimiser_or_incomplete_state()
    {
        var model = TestParameters.Default();
        var sgd = new Sgd(0.1f, momentum: 0.9f);
        model.SetGradients(1);
        sgd.Step(model.List);
        var sgdState = sgd.ExportState();

        var ex = Assert.Throws<ArgumentException>(() => new Adam().ImportState(sgdState));
        Assert.Contains("momentum_buffer", ex.Message);

        var adam = new Adam();
        adam.Step(model.List);
        var partial = adam.ExportState().Where(kv => kv.Key != "output.weight.exp_avg_sq").ToDictionary();
        ex = Assert.Throws<ArgumentException>(() => new Adam().ImportState(partial));
        Assert.Contains("output.weight.exp_avg_sq", ex.Message);

        var noStep = sgdState.Where(kv => kv.Key != Optimizer.StepKey).ToDictionary();
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f, momentum: 0.9f).ImportState(noStep));
    }

    [Fact]
    public void Imported_state_with_a_different_length_is_reported_by_name_on_step()
    {
        var model = TestParameters.Default();
        var adam = new Adam();
        adam.ImportState(new Dictionary<string, float[]>
        {
            [Optimizer.StepKey] = [2, 0],
            ["output.weight.exp_avg"] = new float[4],
            ["output.weight.exp_avg_sq"] = new float[4],
        });
        float[] before = (float[])model.Values.Clone();
        var ex = Assert.Throws<InvalidOperationException>(() => adam.Step(model.List));
        Assert.Contains("output.weight", ex.Message);
        Assert.Equal(before, model.Values);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void Duplicate_parameter_names_are_rejected_without_changing_anything()
    {
        var model = TestParameters.Default();
        var list = new List<Parameter>(model.List) { model.List[0] };
        float[] before = (float[])model.Values.Clone();
        model.SetGradients(1);
        var adam = new Adam();
        Assert.Throws<ArgumentException>(() => adam.Step(list));
        Assert.Equal(before, model.Values);
        Assert.Equal(0, adam.StepCount);
        adam.Step(model.List); // the failed call leaves no stale bookkeeping behind
        Assert.Equal(1, adam.StepCount);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void Steps_after_the_first_allocate_nothing(string kind)
    {
        var model = TestParameters.Default();
        Optimizer optimizer = kind == "adam" ? new AdamW() : new Sgd(0.1f, momentum: 0.9f);
        model.SetGradients(1);
        optimizer.Step(model.List);
        optimizer.Step(model.List);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) optimizer.Step(model.List);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Constructors_reject_invalid_hyperparameters()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(float.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f, momentum: 0f, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f, momentum: 0.9f, dampening: 0.1f, nesterov: true));
        Assert.Equal(0.01f, new AdamW().WeightDecay);
        Assert.Equal(0f, new Adam().WeightDecay);
    }
}
