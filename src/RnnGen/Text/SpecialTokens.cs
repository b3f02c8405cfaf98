namespace RnnGen.Text;

/// <summary>
/// Reserved tokens a vocabulary can hold. The chosen ones take the first ids, always in this order
/// (padding, unknown, begin, end), so their ids depend only on which are chosen, never on the text.
/// </summary>
[Flags]
public enum SpecialTokens
{
    None = 0,
    /// <summary><c>&lt;pad&gt;</c>: fills batches of unequal sequences.</summary>
    Padding = 1,
    /// <summary><c>&lt;unk&gt;</c>: stands for every token the vocabulary does not hold.</summary>
    Unknown = 2,
    /// <summary><c>&lt;bos&gt;</c>: marks the beginning of a sequence.</summary>
    BeginOfSequence = 4,
    /// <summary><c>&lt;eos&gt;</c>: marks the end of a sequence.</summary>
    EndOfSequence = 8,
}
