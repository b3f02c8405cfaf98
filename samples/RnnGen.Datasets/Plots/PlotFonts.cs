using System.Globalization;
using System.Text;
using SkiaSharp;

namespace RnnGen.Datasets.Plots;

/// <summary>
/// Picks a font that can draw a set of labels (Chinese characters, say, which ScottPlot's default font often
/// lacks), and spells out as <c>U+4E09</c> what no installed font can draw, so that a label is never an empty box.
/// </summary>
internal static class PlotFonts
{
    /// <summary>
    /// The font family to draw all of <paramref name="texts"/> with, and the texts to draw: unchanged when some
    /// installed family has every character (ScottPlot's default first, then the installed families in order),
    /// otherwise in the default font with each character it lacks replaced by its code point.
    /// </summary>
    public static (string FontName, string[] Texts) Resolve(IEnumerable<string> texts)
    {
        string[] all = texts.ToArray();
        string joined = string.Concat(all);
        string fallback = ScottPlot.Fonts.Default;
        foreach (string family in Candidates(fallback))
        {
            using SKTypeface? typeface = SKTypeface.FromFamilyName(family);
            if (typeface is not null && typeface.FamilyName == family && CanDraw(typeface, joined))
            {
                return (family, all);
            }
        }
        using SKTypeface? defaultFace = SKTypeface.FromFamilyName(fallback);
        return (fallback, all.Select(t => defaultFace is null ? t : SpellOutMissing(defaultFace, t)).ToArray());
    }

    // The default font, then every installed family (the font manager lists what it found on the system).
    private static IEnumerable<string> Candidates(string first)
    {
        yield return first;
        foreach (string family in SKFontManager.Default.FontFamilies)
        {
            if (family != first)
            {
                yield return family;
            }
        }
    }

    // Whether the typeface has a glyph for every character that is not whitespace.
    private static bool CanDraw(SKTypeface typeface, string text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && !typeface.ContainsGlyph(rune.Value))
            {
                return false;
            }
        }
        return true;
    }

    private static string SpellOutMissing(SKTypeface typeface, string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || typeface.ContainsGlyph(rune.Value))
            {
                result.Append(rune.ToString());
            }
            else
            {
                result.Append("U+").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture));
            }
        }
        return result.ToString();
    }

    /// <summary>The width in pixels of the widest of <paramref name="texts"/> drawn in the font at <paramref name="size"/>; 0 for none.</summary>
    public static float MaxWidth(string fontName, float size, IEnumerable<string> texts)
    {
        using SKTypeface? typeface = SKTypeface.FromFamilyName(fontName);
        using var font = new SKFont(typeface ?? SKTypeface.Default, size); // the shared default is not ours to dispose
        float widest = 0;
        foreach (string text in texts)
        {
            widest = Math.Max(widest, font.MeasureText(text));
        }
        return widest;
    }
}
