namespace RnnGen.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Constant_schedule_returns_its_rate_at_every_step()
    {
        var schedule = new ConstantSchedule(0.002f);
        Assert.Equal(0.002f, schedule.LearningRateAt(0));
        Assert.Equal(0.002f, schedule.LearningRateAt(1_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRateAt(-1));
    }

    [Fact]
    public void Cosine_schedule_warms_up_linearly_then_decays_to_the_minimum()
    {
        var schedule = new CosineSchedule(peakLearningRate: 1f, totalSteps: 110, warmupSteps: 10, minLearningRate: 0.1f);
        Assert.Equal(0.1f, schedule.LearningRateAt(0), 6);
        Assert.Equal(0.5f, schedule.LearningRateAt(4), 6);
        Assert.Equal(1f, schedule.LearningRateAt(9), 6);
        Assert.Equal(1f, schedule.LearningRateAt(10), 6);          // start of the cosine: the peak
        Assert.Equal(0.55f, schedule.LearningRateAt(60), 6);       // half-way: the mid-point of peak and minimum
        double quarter = 0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25));
        Assert.Equal(quarter, schedule.LearningRateAt(35), 6);
        Assert.Equal(0.1f, schedule.LearningRateAt(110), 6);
        Assert.Equal(0.1f, schedule.LearningRateAt(5000), 6);
        for (long s = 11; s < 110; s++)
            Assert.True(schedule.LearningRateAt(s) <= schedule.LearningRateAt(s - 1));
    }

    [Fact]
    public void Cosine_schedule_without_warm_up_starts_at_the_peak()
    {
        var schedule = new CosineSchedule(0.01f, totalSteps: 4);
        Assert.Equal(0.01f, schedule.LearningRateAt(0), 7);
        Assert.Equal(0.005f, schedule.LearningRateAt(2), 7);
        Assert.Equal(0f, schedule.LearningRateAt(4), 7);
    }

    [Fact]
    public void Cosine_schedule_rejects_inconsistent_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1f, totalSteps: 10, warmupSteps: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1f, totalSteps: 10, minLearningRate: 2f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(-1f, totalSteps: 10));
    }

    [Fact]
    public void Plateau_reduces_after_more_than_patience_reports_without_improvement()
    {
        var plateau = new ReduceOnPlateau(1f, factor: 0.5f, patience: 2, minLearningRate: 0.2f);
        Assert.Equal(1f, plateau.Report(3.0f));   // first loss: an improvement on infinity
        Assert.Equal(1f, plateau.Report(2.0f));   // improvement
        Assert.Equal(1f, plateau.Report(2.5f));   // bad 1
        Assert.Equal(1f, plateau.Report(2.0f));   // bad 2: equal is not better
        Assert.Equal(0.5f, plateau.Report(2.1f)); // bad 3 > patience: reduce, count restarts
        Assert.Equal(0, plateau.BadReports);
        Assert.Equal(0.5f, plateau.Report(1.5f)); // improvement
        Assert.Equal(1.5f, plateau.BestLoss);
        plateau.Report(1.6f);
        plateau.Report(1.6f);
        Assert.Equal(0.25f, plateau.Report(1.6f));
        plateau.Report(1.6f);
        plateau.Report(1.6f);
        Assert.Equal(0.2f, plateau.Report(1.6f));  // clamped at the minimum
        plateau.Report(1.6f);
        plateau.Report(1.6f);
        Assert.Equal(0.2f, plateau.Report(1.6f));
    }

    [Fact]
    public void Plateau_ignores_improvements_below_the_relative_threshold_and_NaN()
    {
        var plateau = new ReduceOnPlateau(1f, factor: 0.1f, patience: 0, threshold: 0.01f);
        plateau.Report(1.0f);
        Assert.Equal(0.1f, plateau.Report(0.995f), 6); // less than 1% better: not an improvement
        Assert.Equal(1.0f, plateau.BestLoss);
        Assert.Equal(0.1f, plateau.Report(0.98f), 6);  // 2% better: an improvement
        Assert.Equal(0.01f, plateau.Report(float.NaN), 6);
    }
}
