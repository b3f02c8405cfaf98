using CharLm;
using RnnGen.Models;
using RnnGen.Training;

namespace RnnGen.CharLm.Tests;

/// <summary>
/// Every preset learns: a few Adam steps on a short repeating text lower its loss well below the start. A preset
/// whose cell trained to nothing (a sign or a gate block wrong) would stay near log(vocabulary).
/// </summary>
public class PresetTrainingTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var preset in Presets.All) data.Add(preset.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_preset_lowers_its_loss_on_a_repeating_text(string name)
    {
        const int vocab = 7, batch = 4, steps = 24;
        // Rows of the period-7 sequence 0 1 2 3 4 5 6, each row starting elsewhere: the next token is always determined.
        var inputs = new int[batch * steps];
        var targets = new int[batch * steps];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                inputs[b * steps + t] = (b + t) % vocab;
                targets[b * steps + t] = (b + t + 1) % vocab;
            }
        var tokens = new TokenBatch(inputs, targets, batch, steps);
        var model = Presets.Find(name)!.Create(vocab, 3);
        var adam = new Adam(3e-3f);
        float first = model.ForwardBackward(tokens);
        float last = first;
        for (int i = 0; i < 40; i++)
        {
            GradientClipping.ClipGlobalNorm(model.Parameters, 1f);
            adam.Step(model.Parameters);
            last = model.ForwardBackward(tokens);
        }
        Assert.True(float.IsFinite(last), $"{name}: the loss became {last}");
        Assert.True(last < 0.5f * first, $"{name}: loss {first:F3} -> {last:F3} after 40 steps; expected it below half");
    }
}
