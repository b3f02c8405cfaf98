namespace RnnGen.Text;

/// <summary>How a vocabulary cuts text into tokens.</summary>
public enum VocabularyKind
{
    Characters,
    Words,
}
