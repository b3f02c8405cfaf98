using System.Text.Json.Serialization;

namespace RnnGen.Text;

/// <summary>
/// The JSON form of a <see cref="Vocabulary"/>, as stored in checkpoint metadata. Token ids are positions in
/// <see cref="Tokens"/>; the reserved tokens come first and are listed again in <see cref="Special"/>.
/// </summary>
internal sealed class VocabularyDocument
{
    public const string FormatName = "rnngen.vocabulary";
    public const int CurrentVersion = 1;

    public string? Format { get; set; }
    public int Version { get; set; }
    /// <summary>"characters" or "words".</summary>
    public string? Kind { get; set; }
    /// <summary>For characters: "textElements" or "runes".</summary>
    public string? Unit { get; set; }
    public int MinCount { get; set; }
    public int? MaxSize { get; set; }
    /// <summary>For words: the cleaning applied before lookup, so text encodes as it did when the vocabulary was built.</summary>
    public WordCleaningDocument? Cleaning { get; set; }
    public string[]? Special { get; set; }
    public string[]? Tokens { get; set; }
}

/// <summary>The text-cleaning switches of <see cref="WordOptions"/>.</summary>
internal sealed class WordCleaningDocument
{
    public bool LowerCase { get; set; }
    public bool RemoveSymbols { get; set; }
    public bool RemoveDigits { get; set; }
    public bool RemovePunctuation { get; set; }
    public bool KeepInnerApostrophes { get; set; }
}

/// <summary>Compile-time JSON metadata for the vocabulary document: no reflection, so trimming and NativeAOT keep working.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VocabularyDocument))]
internal sealed partial class VocabularyJsonContext : JsonSerializerContext;
