namespace RnnGen.Datasets;

/// <summary>
/// A text classification task on data every .NET SDK has: the summary of a documented API member, labelled with
/// the kind of member it documents (from the prefix of its documentation id: <c>T:</c> type, <c>M:</c> method or,
/// for <c>#ctor</c> and <c>#cctor</c>, constructor, <c>P:</c> property, <c>F:</c> field, <c>E:</c> event).
/// </summary>
/// <remarks>
/// Summaries are read from the XML documentation files of the SDK's reference pack (see
/// <see cref="SdkDocumentationCorpus.FindReferencePackDirectory()"/>), whitespace collapsed, cut to at most
/// <see cref="MaxTextLength"/> characters at a word boundary. Summaries that do not read as prose (signatures and
/// instruction listings: see <see cref="SdkDocumentationCorpus"/>) are left out. A text that occurs more than once
/// (overloads share summaries) is kept only the first time, under the kind it had then, so no text appears with
/// two labels. The .NET 10.0.12 pack gives 3,607 types, 3,648 constructors, 17,515 methods, 7,247 properties,
/// 5,350 fields and only 135 events: with a larger <c>maxPerClass</c> the event class stays smaller than the others.
/// </remarks>
public static class MemberKindCorpus
{
    /// <summary>The longest text returned, in characters.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["type", "constructor", "method", "property", "field", "event"];

    /// <summary>
    /// Up to <paramref name="maxPerClass"/> summaries of each kind, drawn at random (seeded) from all distinct
    /// summaries of that kind, and returned shuffled together, so any prefix is a fair sample (split train and
    /// test by slicing).
    /// </summary>
    /// <param name="maxPerClass">The most examples of one class.</param>
    /// <param name="seed">Seed of the draw and of the order.</param>
    /// <param name="directory">Folder of <c>*.xml</c> documentation files; default: the SDK's reference pack.</param>
    /// <exception cref="FileNotFoundException">No reference pack was found, or <paramref name="directory"/> has no <c>*.xml</c> files.</exception>
    /// <exception cref="InvalidDataException">The files document no member with a summary.</exception>
    public static (List<string> Texts, List<int> Labels, IReadOnlyList<string> ClassNames) Load(int maxPerClass, int seed, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerClass);
        var files = SdkFiles.DocumentationFiles(directory);
        var byClass = ClassNames.Select(_ => new List<string>()).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool any = false;
        foreach (var (name, summary) in DocumentationMembers.FromFiles(files))
        {
            any = true;
            string text = Cut(summary);
            // Signatures and instruction listings (the hardware intrinsics document thousands) are not prose.
            if (KindOf(name) is { } kind && SdkDocumentationCorpus.LooksLikeProse(summary) && seen.Add(text))
            {
                byClass[kind].Add(text);
            }
        }
        if (!any)
        {
            throw new InvalidDataException(
                $"No documented member with a <summary> was found in the {files.Count} *.xml files of {SdkFiles.FolderOf(files, directory)}.");
        }

        var random = new Random(seed);
        var examples = new List<(string Text, int Label)>();
        for (int label = 0; label < byClass.Length; label++)
        {
            SdkFiles.Shuffle(byClass[label], random);
            examples.AddRange(byClass[label].Take(maxPerClass).Select(text => (text, label)));
        }
        SdkFiles.Shuffle(examples, random);
        return (examples.Select(e => e.Text).ToList(), examples.Select(e => e.Label).ToList(), ClassNames);
    }

    /// <summary>
    /// The label of a documentation id (<c>"M:System.String.#ctor(System.Char[])"</c> → 1, constructor), or
    /// <see langword="null"/> for ids of other kinds (namespaces <c>N:</c>, errors <c>!:</c>).
    /// </summary>
    public static int? KindOf(string memberName)
    {
        if (memberName.Length < 3 || memberName[1] != ':')
        {
            return null;
        }
        return memberName[0] switch
        {
            'T' => 0,
            'M' when IsConstructor(memberName) => 1,
            'M' => 2,
            'P' => 3,
            'F' => 4,
            'E' => 5,
            _ => null,
        };
    }

    // "M:System.Text.StringBuilder.#ctor(System.Int32)" and the static "….#cctor": the name part, before any parameters.
    private static bool IsConstructor(string memberName)
    {
        int open = memberName.IndexOf('(');
        string name = open >= 0 ? memberName[..open] : memberName;
        return name.EndsWith(".#ctor", StringComparison.Ordinal) || name.EndsWith(".#cctor", StringComparison.Ordinal);
    }

    // At most MaxTextLength characters, cut after the last whole word that fits (or mid-word when one word is longer).
    private static string Cut(string text)
    {
        if (text.Length <= MaxTextLength)
        {
            return text;
        }
        int space = text.LastIndexOf(' ', MaxTextLength);
        return text[..(space > 0 ? space : MaxTextLength)];
    }
}
