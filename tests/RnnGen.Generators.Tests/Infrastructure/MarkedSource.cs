using Microsoft.CodeAnalysis.Text;

namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>
/// A test source with its expected diagnostic spans marked as <c>[|...|]</c>: the markers are
/// stripped from the text and their positions recorded.
/// </summary>
internal sealed record MarkedSource(string Text, IReadOnlyList<TextSpan> Spans)
{
    private const string Open = "[|", Close = "|]";

    public static MarkedSource Parse(string marked)
    {
        var text = new System.Text.StringBuilder(marked.Length);
        var spans = new List<TextSpan>();
        var open = new Stack<int>();
        for (int i = 0; i < marked.Length; i++)
        {
            if (string.CompareOrdinal(marked, i, Open, 0, 2) == 0) { open.Push(text.Length); i++; continue; }
            if (string.CompareOrdinal(marked, i, Close, 0, 2) == 0)
            {
                if (open.Count == 0) throw new ArgumentException("'|]' without a matching '[|' in the test source.");
                int start = open.Pop();
                spans.Add(TextSpan.FromBounds(start, text.Length));
                i++;
                continue;
            }
            text.Append(marked[i]);
        }
        if (open.Count != 0) throw new ArgumentException("'[|' without a matching '|]' in the test source.");
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return new MarkedSource(text.ToString(), spans);
    }

    /// <summary>The single marked span, as a line/column span of the stripped text.</summary>
    public LinePositionSpan ExpectedLineSpan
    {
        get
        {
            Assert.True(Spans.Count == 1, $"the test source must mark exactly one span, but marks {Spans.Count}");
            return SourceText.From(Text).Lines.GetLinePositionSpan(Spans[0]);
        }
    }
}
