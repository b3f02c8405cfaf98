namespace RnnGen.Modules;

/// <summary>
/// Beam search over any step-wise decoder. The caller keeps one decoder state per live hypothesis; the search
/// only asks for log-probabilities and says which states to keep.
/// </summary>
public static class BeamSearch
{
    /// <summary>Feeds one token per live hypothesis (advancing their states); writes log-probabilities [K, vocab].</summary>
    public delegate void Step(ReadOnlySpan<int> previous, Span<double> logProbs);

    /// <summary>
    /// Each step expands every live hypothesis and keeps the <paramref name="beamWidth"/> best by summed
    /// log-probability, calling <paramref name="select"/> with the hypotheses (by index) whose states go on, in
    /// order; one ending in <paramref name="endId"/> among those is finished. Stops when <paramref name="beamWidth"/>
    /// are finished and the best of them scores at least as well as any live one would if it ended now (stopping
    /// at the first finished ones would let short, unlikely hypotheses crowd out the likely one), or at
    /// <paramref name="maxLength"/>. Returns the best by log P / length^<paramref name="lengthPenalty"/>, the length
    /// counting the end token. Beam 1 is greedy decoding.
    /// </summary>
    public static int[] Search(int vocab, int beginId, int endId, int maxLength, int beamWidth, double lengthPenalty,
        Step step, Action<IReadOnlyList<int>> select)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beamWidth);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(select);
        var live = new List<(int[] Tokens, double Score)> { ([], 0) };
        var finished = new List<(int[] Tokens, double Normalised)>();
        var logProbs = new double[beamWidth * vocab];
        double Normalised(double score, int length) => score / Math.Pow(length, lengthPenalty);
        bool done = false;
        for (int t = 0; t < maxLength && live.Count > 0 && !done; t++)
        {
            int K = live.Count;
            var previous = live.Select(h => h.Tokens.Length == 0 ? beginId : h.Tokens[^1]).ToArray();
            step(previous, logProbs.AsSpan(0, K * vocab));
            var candidates = Best(live, logProbs, vocab, 2 * beamWidth); // enough to refill the beam after K finish
            var next = new List<(int[] Tokens, double Score)>();
            var from = new List<int>();
            for (int c = 0; c < candidates.Count && next.Count < beamWidth; c++)
            {
                var (k, token, score) = candidates[c];
                if (token == endId)
                {
                    if (c < beamWidth) finished.Add((live[k].Tokens, Normalised(score, live[k].Tokens.Length + 1)));
                    continue;
                }
                next.Add(([.. live[k].Tokens, token], score));
                from.Add(k);
            }
            select(from);
            live = next;
            // The usual heuristic: a live score only falls as it grows, though its normalised score may not.
            if (finished.Count >= beamWidth)
            {
                finished = finished.OrderByDescending(h => h.Normalised).Take(beamWidth).ToList();
                double bestLive = live.Count == 0 ? double.NegativeInfinity : live.Max(h => Normalised(h.Score, h.Tokens.Length + 1));
                done = finished[0].Normalised >= bestLive;
            }
        }
        if (finished.Count == 0) return live.OrderByDescending(h => Normalised(h.Score, h.Tokens.Length)).First().Tokens;
        return finished.OrderByDescending(h => h.Normalised).First().Tokens;
    }

    /// <summary>The <paramref name="count"/> best expansions (hypothesis, token, summed score), best first.</summary>
    private static List<(int From, int Token, double Score)> Best(List<(int[] Tokens, double Score)> live, double[] logProbs, int vocab, int count)
    {
        var candidates = new List<(int From, int Token, double Score)>(count + 1);
        for (int k = 0; k < live.Count; k++)
            for (int i = 0; i < vocab; i++)
            {
                double score = live[k].Score + logProbs[k * vocab + i];
                if (candidates.Count == count && score <= candidates[^1].Score) continue;
                int at = candidates.Count;
                while (at > 0 && candidates[at - 1].Score < score) at--;
                candidates.Insert(at, (k, i, score));
                if (candidates.Count > count) candidates.RemoveAt(candidates.Count - 1);
            }
        return candidates;
    }
}
