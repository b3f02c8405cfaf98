namespace RnnGen.Tests.Inference;

/// <summary>Generate and the Stepper, now built on a session, give what the model's own forward pass gives.</summary>
public class SessionGenerationTests
{
    [Theory]
    [InlineData("gru-mgu", "ab", 0.9f, 5, 0.9f, 3)]
    [InlineData("lstm2", "hello", 1f, 0, 1f, 7)]
    [InlineData("two-state", "", 0.7f, 3, 1f, 11)]
    [InlineData("gru", "cab", 0f, 0, 1f, 1)]
    public void Generate_gives_the_text_of_a_sampling_loop_over_the_models_forward_pass(string name, string prompt, float temperature, int topK, float topP, int seed)
    {
        var vocab = Vocabulary.Characters("abcdefghlo ");
        var model = SessionFixtures.Create(name, vocab.Count);

        string text = model.Generate(vocab, prompt, 40, temperature, topK, topP, seed);

        // The reference: the model's forward pass one token at a time, its state carried, the same sampler and seed.
        model.Training = false;
        var sampler = new Sampler(temperature, topK, topP, seed);
        var state = model.CreateState(1);
        float[] Next(int id) => model.Logits(new TokenBatch([id], [0], 1, 1), state);
        float[] logits = [];
        foreach (int id in prompt.Length == 0 ? [0] : vocab.Encode(prompt)) logits = Next(id);
        var generated = new int[40];
        for (int i = 0; i < generated.Length; i++)
        {
            generated[i] = sampler.Sample(logits);
            logits = Next(generated[i]);
        }
        Assert.Equal(prompt + vocab.Decode(generated), text);
        Assert.True(generated.Distinct().Count() > 1 || temperature == 0, "the sampled text varies");
    }

    [Fact]
    public void The_stepper_gives_the_bits_of_a_batch_one_session()
    {
        var model = SessionFixtures.Create("two-state", vocab: 20);
        var stepper = new LanguageModel.Stepper(model);
        using var session = model.CreateSession(1);
        var tokens = SessionFixtures.Tokens(20, 1, 12, seed: 8);
        var logits = new float[20];
        foreach (int id in tokens)
        {
            var fromStepper = stepper.Step(id).ToArray();
            session.Step([id], logits);
            Assert.Equal(logits, fromStepper);
        }
    }
}
