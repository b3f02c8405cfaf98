namespace RnnGen.Datasets.Synthetic;

/// <summary>
/// Generated bracket languages for sequence models, over the token ids of <see cref="Alphabet"/>:
/// <c>0 '('</c>, <c>1 ')'</c>, <c>2 '['</c>, <c>3 ']'</c>, <c>4 '.'</c> (a filler that is not a bracket).
/// </summary>
/// <remarks>
/// Both tasks need memory of what came before: <see cref="Balanced"/> needs a stack of the open bracket kinds,
/// <see cref="Depth"/> a counter. Their baselines (in <c>BracketTasks.Baselines.cs</c>) measure what a model
/// without order or without recurrence reaches on the same data; the language rules are in <c>BracketTasks.Rules.cs</c>.
/// </remarks>
public static partial class BracketTasks
{
    /// <summary>The characters of the token ids, in id order.</summary>
    public const string Alphabet = "()[].";

    /// <summary>The number of token ids (the vocabulary size).</summary>
    public const int VocabularySize = 5;

    /// <summary>Token ids of the characters of <see cref="Alphabet"/>.</summary>
    public const int OpenRound = 0, CloseRound = 1, OpenSquare = 2, CloseSquare = 3, Filler = 4;

    /// <summary>The largest tag of <see cref="Depth"/>: deeper nesting is tagged with this value.</summary>
    public const int MaxDepth = 5;

    /// <summary>
    /// A classification task: <paramref name="count"/> bracket strings over <c>()[]</c> (no filler), of even
    /// lengths drawn uniformly in [<paramref name="minLength"/>, <paramref name="maxLength"/>], labelled 1 when
    /// balanced and properly nested across both kinds, else 0. Labels alternate 1, 0, 1, 0 … so the classes are
    /// equally frequent (exactly, for an even count) and every slice of even length holds as many of each class.
    /// </summary>
    /// <remarks>
    /// A negative is a random balanced string with two of its characters exchanged, kept only if that made it
    /// unbalanced: half of the time two openers or two closers of different kinds, which keeps the depth profile
    /// and leaves only the kinds mismatched (<c>[(()])</c>), otherwise any two different characters
    /// (<c>()[]][()</c>). An exchange keeps the multiset of characters, so positives and negatives have exactly the
    /// same distribution of character counts: a model that sees only counts is at chance (see
    /// <see cref="BagOfCharactersBaseline"/>). Exchanges that leave a local tell (<see cref="HasLocalTell"/>) are
    /// avoided while others exist, so only short strings keep one: 21-24% of the negatives at lengths 2-20 (all
    /// of length 2, <c>)(</c>, and most of length 4), 8% at 4-40, under 1% at 10-30.
    /// </remarks>
    public static (List<int[]> Tokens, List<int> Labels) Balanced(int count, int minLength, int maxLength, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckLengths(minLength, maxLength, requireEven: true);
        var random = new Random(seed);
        int evenMin = minLength + (minLength & 1), evenMax = maxLength - (maxLength & 1);
        var tokens = new List<int[]>(count);
        var labels = new List<int>(count);
        for (int i = 0; i < count; i++)
        {
            int length = evenMin + 2 * random.Next((evenMax - evenMin) / 2 + 1);
            int[] sequence = RandomBalanced(length, random);
            int label = 1 - (i & 1);
            if (label == 0)
            {
                Corrupt(sequence, random);
            }
            tokens.Add(sequence);
            labels.Add(label);
        }
        return (tokens, labels);
    }

    /// <summary>
    /// A tagging task: <paramref name="count"/> well-formed bracket strings of lengths drawn uniformly in
    /// [<paramref name="minLength"/>, <paramref name="maxLength"/>], with up to a third of the tokens filler, each
    /// token tagged with the nesting depth after reading it (see <see cref="DepthTags"/>), so tags run 0 … <see cref="MaxDepth"/>.
    /// </summary>
    public static (List<int[]> Tokens, List<int[]> Tags) Depth(int count, int minLength, int maxLength, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckLengths(minLength, maxLength, requireEven: false);
        var random = new Random(seed);
        var tokens = new List<int[]>(count);
        var tags = new List<int[]>(count);
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(minLength, maxLength + 1);
            int fillers = random.Next(length / 3 + 1);
            if (((length - fillers) & 1) == 1)
            {
                fillers++; // the brackets must pair up; length ≥ 1 so there is room
            }
            int[] brackets = RandomBalanced(length - fillers, random);
            // Scatter the fillers: each position is a filler with the probability that leaves exactly `fillers` of them.
            var sequence = new int[length];
            int fillersLeft = fillers, next = 0;
            for (int p = 0; p < length; p++)
            {
                bool filler = random.Next(length - p) < fillersLeft;
                sequence[p] = filler ? Filler : brackets[next++];
                fillersLeft -= filler ? 1 : 0;
            }
            tokens.Add(sequence);
            tags.Add(DepthTags(sequence));
        }
        return (tokens, tags);
    }

    // A random balanced string of `length` (even) brackets: a random walk that opens with probability 1/2 while it
    // may, each opener of a random kind and each closer matching the innermost opener.
    private static int[] RandomBalanced(int length, Random random)
    {
        var sequence = new int[length];
        var open = new Stack<int>();
        for (int i = 0; i < length; i++)
        {
            int remaining = length - i;
            bool opens = open.Count == 0 || (open.Count < remaining && random.Next(2) == 0);
            sequence[i] = opens ? OpenRound + 2 * random.Next(2) : open.Pop() + 1;
            if (opens)
            {
                open.Push(sequence[i]);
            }
        }
        return sequence;
    }

    // Exchanges two characters of a balanced string so that it is no longer balanced (see Balanced). Exchanges that
    // leave a local tell are passed over while others may exist, so that a negative is found out only by following
    // the open brackets through the string.
    private static void Corrupt(int[] sequence, Random random)
    {
        bool kindsOnly = random.Next(2) == 0;
        for (int attempt = 0; ; attempt++)
        {
            int i = random.Next(sequence.Length), j = random.Next(sequence.Length);
            int a = sequence[i], b = sequence[j];
            // Both openers or both closers: the kinds change, the depth profile stays. A string of one kind has
            // no such pair, hence the limit on attempts.
            bool sameRole = (a & 1) == (b & 1);
            if (a == b || (kindsOnly && !sameRole && attempt < 100))
            {
                continue;
            }
            (sequence[i], sequence[j]) = (b, a);
            if (!IsBalanced(sequence) && (attempt >= 200 || !HasLocalTell(sequence)))
            {
                return;
            }
            (sequence[i], sequence[j]) = (a, b);
        }
    }

    private static void CheckLengths(int minLength, int maxLength, bool requireEven)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, requireEven ? 2 : 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, minLength);
        if (requireEven && minLength == maxLength && (minLength & 1) == 1)
        {
            throw new ArgumentException($"No even length lies in [{minLength}, {maxLength}]: a balanced string has an even length.");
        }
    }
}
