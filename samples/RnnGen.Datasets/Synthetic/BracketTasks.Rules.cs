namespace RnnGen.Datasets.Synthetic;

// The rules of the bracket language, applied to any token sequence: text conversion, balance, depth, local tells.
public static partial class BracketTasks
{
    /// <summary>
    /// The nesting depth after each token (openers of either kind add one, closers take one away, filler keeps it),
    /// capped at <see cref="MaxDepth"/> and floored at 0: <c>"(.[])"</c> → <c>1 1 2 1 0</c>.
    /// </summary>
    public static int[] DepthTags(IReadOnlyList<int> tokens)
    {
        var tags = new int[tokens.Count];
        int depth = 0;
        for (int i = 0; i < tags.Length; i++)
        {
            depth += tokens[i] switch { OpenRound or OpenSquare => 1, CloseRound or CloseSquare => -1, _ => 0 };
            tags[i] = Math.Clamp(depth, 0, MaxDepth);
        }
        return tags;
    }

    /// <summary>Whether every closer matches the kind of the innermost open bracket and none stays open; filler is ignored.</summary>
    public static bool IsBalanced(IReadOnlyList<int> tokens)
    {
        var open = new Stack<int>();
        foreach (int token in tokens)
        {
            switch (token)
            {
                case OpenRound or OpenSquare:
                    open.Push(token);
                    break;
                case CloseRound or CloseSquare:
                    // An opener's id is its closer's id minus one.
                    if (open.Count == 0 || open.Pop() != token - 1)
                    {
                        return false;
                    }
                    break;
            }
        }
        return open.Count == 0;
    }

    /// <summary>The token ids of a string over <see cref="Alphabet"/>.</summary>
    public static int[] Encode(string text) => text.Select(c => Alphabet.IndexOf(c) is >= 0 and var id
        ? id
        : throw new ArgumentException($"'{c}' is not one of \"{Alphabet}\".", nameof(text))).ToArray();

    /// <summary>The string of token ids.</summary>
    public static string Decode(IEnumerable<int> tokens) => string.Concat(tokens.Select(t => Alphabet[t]));

    /// <summary>
    /// Whether a bracket string shows it is unbalanced by a detail that needs no memory: it starts with a closer,
    /// ends with an opener, or has an opener followed at once by a closer of the other kind (<c>(]</c>, <c>[)</c>).
    /// Balanced strings never have one; most negatives of <see cref="Balanced"/> do not either.
    /// </summary>
    public static bool HasLocalTell(IReadOnlyList<int> tokens)
    {
        static bool IsOpener(int t) => t is OpenRound or OpenSquare;
        static bool IsCloser(int t) => t is CloseRound or CloseSquare;
        if (tokens.Count == 0)
        {
            return false;
        }
        if (IsCloser(tokens[0]) || IsOpener(tokens[^1]))
        {
            return true;
        }
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            if (IsOpener(tokens[i]) && IsCloser(tokens[i + 1]) && tokens[i + 1] != tokens[i] + 1)
            {
                return true;
            }
        }
        return false;
    }
}
