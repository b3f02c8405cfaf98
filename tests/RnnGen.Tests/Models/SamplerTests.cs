namespace RnnGen.Tests.Models;

public class SamplerTests
{
    private static readonly float[] Logits = [0.1f, 2.0f, -1.0f, 1.5f, 0.0f];

    [Fact]
    public void Temperature_zero_top_k_one_and_a_tiny_top_p_all_pick_the_most_likely_token()
    {
        Assert.Equal(1, new Sampler(temperature: 0).Sample(Logits));
        var k1 = new Sampler(temperature: 1, topK: 1, seed: 3);
        var p = new Sampler(temperature: 1, topP: 0.01f, seed: 3);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(1, k1.Sample(Logits));
            Assert.Equal(1, p.Sample(Logits));
        }
    }

    [Fact]
    public void Sampling_follows_the_softmax_and_top_k_keeps_only_the_k_most_likely()
    {
        var sampler = new Sampler(temperature: 1, seed: 7);
        var counts = new int[Logits.Length];
        const int draws = 20000;
        for (int i = 0; i < draws; i++) counts[sampler.Sample(Logits)]++;
        double total = Logits.Sum(l => Math.Exp(l));
        for (int i = 0; i < Logits.Length; i++)
            Assert.InRange(counts[i] / (double)draws, Math.Exp(Logits[i]) / total - 0.02, Math.Exp(Logits[i]) / total + 0.02);

        var top2 = new Sampler(temperature: 1, topK: 2, seed: 7);
        var seen = Enumerable.Range(0, 2000).Select(_ => top2.Sample(Logits)).Distinct().OrderBy(i => i);
        Assert.Equal(new[] { 1, 3 }, seen);
    }

    [Fact]
    public void Bad_settings_are_rejected_with_the_setting_named()
    {
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(temperature: -1)).ParamName);
        Assert.Equal("topP", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(topP: 0)).ParamName);
        Assert.Equal("topK", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(topK: -2)).ParamName);
    }
}
