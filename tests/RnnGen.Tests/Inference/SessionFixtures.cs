namespace RnnGen.Tests.Inference;

/// <summary>The models the session tests run, and the model's own forward pass that a session must reproduce.</summary>
internal static class SessionFixtures
{
    /// <summary>A GRU, a 2 x LSTM stack, a GRU under a custom cell, and a custom two-state cell under an LSTM.</summary>
    public static readonly string[] Models = ["gru", "lstm2", "gru-mgu", "two-state"];

    public static LanguageModel Create(string name, int vocab = 13, int seed = 3) => name switch
    {
        "gru" => new Models.BracketModel(vocab, seed),
        "lstm2" => new Models.TinyLstmModel(vocab, seed),
        "gru-mgu" => new Models.StackedModel(vocab, seed),
        "two-state" => new TwoStateModel(vocab, seed),
        "wide-gru" => new WideGruModel(vocab, seed),
        _ => throw new ArgumentException($"No test model is named {name}.", nameof(name)),
    };

    /// <summary>Random token ids [batch, steps], row-major.</summary>
    public static int[] Tokens(int vocab, int batch, int steps, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, batch * steps).Select(_ => random.Next(vocab)).ToArray();
    }

    /// <summary>Column t of [batch, steps] tokens: the token every row reads at step t.</summary>
    public static int[] Column(int[] tokens, int batch, int steps, int t) =>
        Enumerable.Range(0, batch).Select(r => tokens[r * steps + t]).ToArray();

    /// <summary>The model's own forward pass over the whole window at once, dropout off: logits [batch, steps, vocab].</summary>
    public static float[] WholeWindow(LanguageModel model, int[] tokens, int batch, int steps)
    {
        model.Training = false;
        return model.Logits(new TokenBatch(tokens, new int[tokens.Length], batch, steps));
    }

    /// <summary>The model's own forward pass one token at a time, its state carried: logits [batch, steps, vocab].</summary>
    public static float[] TokenByToken(LanguageModel model, int[] tokens, int batch, int steps)
    {
        model.Training = false;
        int V = model.VocabSize;
        var state = model.CreateState(batch);
        var result = new float[batch * steps * V];
        for (int t = 0; t < steps; t++)
        {
            var logits = model.Logits(new TokenBatch(Column(tokens, batch, steps, t), new int[batch], batch, 1), state);
            for (int r = 0; r < batch; r++)
                logits.AsSpan(r * V, V).CopyTo(result.AsSpan((r * steps + t) * V, V));
        }
        return result;
    }

    /// <summary>A session over the same tokens: logits [batch, steps, vocab].</summary>
    public static float[] Session(LanguageModelSession session, int[] tokens, int batch, int steps)
    {
        int V = session.VocabSize;
        var logits = new float[batch * V];
        var result = new float[batch * steps * V];
        for (int t = 0; t < steps; t++)
        {
            session.Step(Column(tokens, batch, steps, t), logits);
            for (int r = 0; r < batch; r++)
                logits.AsSpan(r * V, V).CopyTo(result.AsSpan((r * steps + t) * V, V));
        }
        return result;
    }
}
