namespace RnnGen.Tests.Models;

public class LanguageModelTests
{
    private static TokenBatch RandomBatch(int vocab, int batch, int steps, int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, batch * steps).Select(_ => random.Next(vocab)).ToArray();
        var targets = Enumerable.Range(0, batch * steps).Select(_ => random.Next(vocab)).ToArray();
        return new TokenBatch(inputs, targets, batch, steps);
    }

    [Fact]
    public void A_declared_model_has_PyTorch_names_and_shapes_with_each_layer_sized_from_the_one_below()
    {
        var model = new StackedModel(vocabSize: 20, seed: 1);
        var names = model.Parameters.Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]").ToArray();
        Assert.Equal(new[]
        {
            "embedding.weight [20, 8]",
            "rnn.weight_ih_l0 [72, 8]", "rnn.weight_hh_l0 [72, 24]", "rnn.bias_ih_l0 [72]", "rnn.bias_hh_l0 [72]",
            "rnn.Wf_l1 [16, 24]", "rnn.Wh_l1 [16, 24]", "rnn.Uf_l1 [16, 16]", "rnn.Uh_l1 [16, 16]", "rnn.bf_l1 [16]", "rnn.bh_l1 [16]",
            "output.weight [20, 16]", "output.bias [20]",
        }, names);
        Assert.Equal("vocab 20, embedding 8, Gru 24 → Mgu 16 (dropout 0.1)", model.Configuration.ToString());
    }

    [Fact]
    public void ForwardBackward_gradients_match_finite_differences_of_Loss()
    {
        var model = new TinyLstmModel(vocabSize: 7, seed: 3) { Training = false };
        var batch = RandomBatch(7, batch: 3, steps: 5, seed: 4);
        model.ForwardBackward(batch);
        var analytic = model.Parameters.Select(p => p.Gradient.ToArray()).ToArray();
        var random = new Random(5);
        for (int k = 0; k < model.Parameters.Count; k++)
        {
            var p = model.Parameters[k];
            for (int probe = 0; probe < 3; probe++)
            {
                int i = random.Next(p.Length);
                float saved = p.Value[i];
                const float h = 1e-2f;
                p.Value[i] = saved + h;
                double plus = model.Loss(batch);
                p.Value[i] = saved - h;
                double minus = model.Loss(batch);
                p.Value[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[k][i]) <= 2e-3 * Math.Max(1, Math.Abs(numeric)) + 2e-4,
                    $"{p.Name}[{i}]: analytic {analytic[k][i]} numeric {numeric}");
            }
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_losses_bit_for_bit()
    {
        float[] Run()
        {
            var model = new StackedModel(vocabSize: 12, seed: 7);
            var adam = new Adam(3e-3f);
            var losses = new float[15];
            for (int i = 0; i < losses.Length; i++)
            {
                losses[i] = model.ForwardBackward(RandomBatch(12, 4, 9, seed: i));
                GradientClipping.ClipGlobalNorm(model.Parameters, 1f);
                adam.Step(model.Parameters);
            }
            return losses;
        }
        var first = Run();
        var second = Run();
        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
        Assert.True(first[^1] < first[0], "training on the batches should lower the loss");
    }

    [Fact]
    public void Save_then_Load_gives_the_same_loss_and_keeps_the_vocabulary()
    {
        var vocab = Vocabulary.Characters("hello, world\n");
        var model = new StackedModel(vocab.Count, seed: 1) { Training = false };
        var batch = RandomBatch(vocab.Count, 2, 6, seed: 9);
        float before = model.Loss(batch);
        string path = Path.Combine(Path.GetTempPath(), $"rnngen-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path, vocab);
            var other = new StackedModel(vocab.Count, seed: 2) { Training = false };
            Assert.NotEqual(before, other.Loss(batch));
            var file = other.Load(path);
            Assert.Equal(before, other.Loss(batch));
            Assert.Equal(vocab.Tokens, Vocabulary.FromJson(file.Metadata[LanguageModel.VocabularyMetadataKey]).Tokens);
            Assert.Equal(model.Configuration.ToString(), ModelConfiguration.FromJson(file.Metadata[ModelConfiguration.MetadataKey]).ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Truncated_corrupted_or_foreign_checkpoints_are_rejected_with_the_file_and_the_problem()
    {
        var model = new StackedModel(10, seed: 1);
        string dir = Directory.CreateTempSubdirectory("rnngen-").FullName;
        try
        {
            string good = Path.Combine(dir, "good.safetensors");
            model.Save(good);
            var bytes = File.ReadAllBytes(good);

            string truncated = Path.Combine(dir, "truncated.safetensors");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length - 100)]);
            var e1 = Assert.Throws<CheckpointException>(() => new StackedModel(10).Load(truncated));
            Assert.Contains("truncated.safetensors", e1.Message);

            string corrupted = Path.Combine(dir, "corrupted.safetensors");
            var bad = (byte[])bytes.Clone();
            bad[10] = (byte)'}'; // breaks the JSON header
            File.WriteAllBytes(corrupted, bad);
            var e2 = Assert.Throws<CheckpointException>(() => new StackedModel(10).Load(corrupted));
            Assert.Contains("corrupted.safetensors", e2.Message);

            var e3 = Assert.Throws<CheckpointException>(() => new TinyLstmModel(10).Load(good));
            Assert.Contains("good.safetensors", e3.Message);
            Assert.Contains("different model", e3.Message);

            var e4 = Assert.Throws<CheckpointException>(() => new StackedModel(11).Load(good));
            Assert.Contains("vocab 10", e4.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_small_model_learns_long_range_bracket_agreement()
    {
        string text = BracketLanguage.Generate(3000, seed: 11);
        var vocab = Vocabulary.Characters(text);
        var tokens = vocab.Encode(text);
        var model = new BracketModel(vocab.Count, seed: 5);
        var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions { BatchSize = 16, Steps = 32, Epochs = 6 })
            .Fit(tokens, validationFraction: 0.1);

        // The entropy of the language is (log 4 + log 6 + 4.5 log 3) / 7.5 = 1.083 nats per character (opener,
        // length and fillers are random); a model that forgets the opener pays log 4 more per sequence: 1.268.
        Assert.True(history.Best!.ValidationLoss < 1.16f, $"validation loss {history.Best.ValidationLoss}");
        Assert.True(history.Best.Perplexity < 3.2, $"perplexity {history.Best.Perplexity}");

        // On fresh text: the closing bracket is predicted with confidence.
        model.Training = false;
        string test = BracketLanguage.Generate(200, seed: 99);
        var ids = vocab.Encode(test);
        var stepper = new LanguageModel.Stepper(model);
        int closers = 0, right = 0;
        for (int i = 0; i + 1 < ids.Length; i++)
        {
            var logits = stepper.Step(ids[i]).ToArray();
            char next = test[i + 1];
            if (!BracketLanguage.Closers.Contains(next)) continue;
            closers++;
            // Only the closers compete: the model must pick the one matching the opener.
            int best = BracketLanguage.Closers.Select(c => vocab.IdOf(c.ToString())).MaxBy(id => logits[id]);
            if (vocab[best] == next.ToString()) right++;
        }
        Assert.True(right >= 0.97 * closers, $"{right} of {closers} closing brackets predicted");
    }

    [Fact]
    public void Generation_is_reproducible_with_a_seed_and_greedy_at_temperature_zero()
    {
        var vocab = Vocabulary.Characters("abcdefgh");
        var model = new StackedModel(vocab.Count, seed: 4);
        string a = model.Generate(vocab, "ab", 30, temperature: 0.9f, topK: 5, topP: 0.9f, seed: 3);
        string b = model.Generate(vocab, "ab", 30, temperature: 0.9f, topK: 5, topP: 0.9f, seed: 3);
        Assert.Equal(a, b);
        Assert.StartsWith("ab", a);
        Assert.Equal(32, a.Length);
        Assert.Equal(model.Generate(vocab, "ab", 10, temperature: 0), model.Generate(vocab, "ab", 10, temperature: 0, seed: 1));
    }
}
