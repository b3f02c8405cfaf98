using System.Globalization;
using System.Linq;
using RnnGen.Generators.Emit;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Topology;

/// <summary>The text every topology emitter writes the same way: literals, layer lists, and the aligned comments of a step.</summary>
internal static class StepText
{
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A float literal that round-trips, in the invariant culture.</summary>
    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>"Gru 512 → Lstm 512 (dropout 0.2f)": the layers bottom first, with their dropout when asked and set.</summary>
    public static string Layers(EquatableArray<LayerModel> layers, bool withDropout = true) =>
        string.Join(" → ", layers.Select(l => withDropout && l.Dropout > 0 ? $"{l.CellName} {l.Hidden} (dropout {Float(l.Dropout)})" : $"{l.CellName} {l.Hidden}"));

    /// <summary>Writes statements with their comments aligned in two columns: what each computes, and the shape it gives.</summary>
    public static void Aligned(SourceWriter w, params (string Code, string Note, string Shape)[] lines)
    {
        // Lines without a shape (the loss) may run past the column instead of pushing every comment right.
        int code = lines.Where(l => l.Shape.Length > 0).Select(l => l.Code.Length).DefaultIfEmpty(0).Max() + 2;
        int note = lines.Where(l => l.Shape.Length > 0).Select(l => l.Note.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var (c, n, s) in lines)
        {
            if (n.Length + s.Length == 0) { w.Line(c); continue; }
            string comment = s.Length == 0 ? n : n.PadRight(note) + s;
            w.Line((c.Length + 2 > code ? c + "  " : c.PadRight(code)) + "// " + comment);
        }
    }
}
