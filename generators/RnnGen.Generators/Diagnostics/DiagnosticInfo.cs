using System.Linq;
using Microsoft.CodeAnalysis;

namespace RnnGen.Generators.Diagnostics;

using RnnGen.Generators.Model;

/// <summary>
/// A diagnostic to report, kept as plain values so that it can travel through the cached pipeline. A stage that runs
/// after source positions were dropped (Differentiate, Plan, Emit) reports with no <see cref="Location"/> and names its
/// <see cref="Declaration"/> instead; the output step then places it on that declaration (<see cref="GeneratorOutput"/>).
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments,
    string? Declaration = null)
{
    /// <summary>Whether the output step has to find this diagnostic's location from its declaration.</summary>
    public bool IsUnplaced => Location is null && Declaration is not null;

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic(LocationInfo? place = null) =>
        Diagnostic.Create(Descriptor, (Location ?? place)?.ToLocation(), Arguments.Cast<object>().ToArray());
}
