using Microsoft.CodeAnalysis;

namespace RnnGen.Generators.Diagnostics;

/// <summary>Every diagnostic RnnGen reports. IDs are stable: never reuse or renumber one.</summary>
internal static class DiagnosticDescriptors
{
    private const string Cells = "RnnGen.Cells";

    public static readonly DiagnosticDescriptor CellMustBePartial = new(
        "RNNG001", "Recurrent cell must be a partial class",
        "The recurrent cell '{0}' must be a non-generic, non-static partial class{1}: add the 'partial' modifier so that RnnGen can generate its forward and backward passes",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingStep = new(
        "RNNG002", "Recurrent cell has no Step method",
        "The recurrent cell '{0}' has no Step method: declare 'Vec Step(Vec x, Vec h)' (or '(Vec h, Vec c) Step(Vec x, Vec h, Vec c)' for several states)",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidStepSignature = new(
        "RNNG003", "Step method has an invalid signature",
        "The Step method of '{0}' has an invalid signature: {1}",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedStatement = new(
        "RNNG004", "Unsupported statement in a cell's Step method",
        "'{0}' is not supported in a Step method: use only 'var name = expression;' declarations and one final 'return'",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedExpression = new(
        "RNNG005", "Unsupported expression in a cell's Step method",
        "'{0}' is not supported in a Step method: {1}",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidAssignment = new(
        "RNNG006", "Assignment in a cell's Step method",
        "'{0}' cannot be assigned in a Step method: parameters, fields and locals are single-assignment; declare a new local with 'var' instead",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ShapeMismatch = new(
        "RNNG007", "Operands of different sizes",
        "'{0}' combines a {1}-sized operand with a {2}-sized one; operands of an elementwise operation must have the same size",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WeightUsedWithTwoSizes = new(
        "RNNG008", "Weight used against operands of two sizes",
        "Weight '{0}' is multiplied by a {1}-sized operand here but by a {2}-sized operand elsewhere; a weight has one shape, so use a separate weight",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ReturnedStateWrongSize = new(
        "RNNG009", "Returned state has the wrong size",
        "The returned state '{0}' is {1}-sized, but states are hidden-sized; multiply by a weight or combine with hidden-sized values",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnusedParameter = new(
        "RNNG010", "Cell parameter is never used",
        "The parameter '{0}' is declared but never used in Step; remove it or use it, since an unused parameter is trained for nothing",
        Cells, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InternalError = new(
        "RNNG011", "RnnGen internal error",
        "RnnGen failed while generating '{0}': {1}. Please report this with the cell's declaration.",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidPack = new(
        "RNNG012", "Packed parameters do not fit together",
        "The parameters packed as '{0}' must all be weights or all biases, of one shape: {1}",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    // RNNG013 ("the input used other than in a weight product") was removed before any release: the input may be used
    // elementwise, and the layer's constructor then checks that the input and hidden sizes are equal.

    public static readonly DiagnosticDescriptor InvalidPrev = new(
        "RNNG014", "Prev of something other than the cell's input",
        "'{0}' is not supported: Prev takes the cell's input itself, as in 'Prev({1})'{2}",
        Cells, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private const string Models = "RnnGen.Models";

    // RNNG020–RNNG026 are shared by every layered topology (language model, sequence classifier, tagger, regressor,
    // sequence-to-sequence model):
    // where the message names the model, an argument names its kind ("language model", "sequence classifier", …).

    /// <summary>{0} the class, {1} the enclosing-type clause, {2} the kind of model, {3} the base class RnnGen adds.</summary>
    public static readonly DiagnosticDescriptor ModelMustBePartial = new(
        "RNNG020", "Model must be a partial class",
        "The {2} '{0}' must be a non-generic, non-static partial class{1} without a base class of its own: RnnGen adds {3} as its base",
        Models, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>{0} the class, {1} the kind of model, {2} the stack ("" or "decoder "), {3} its attribute (Layer, Decoder).</summary>
    public static readonly DiagnosticDescriptor ModelHasNoLayers = new(
        "RNNG021", "Model has no layers",
        "The {1} '{0}' has no {2}layers: add at least one [{3}(typeof(Cells.Gru), Hidden = 256)]",
        Models, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayerIsNotACell = new(
        "RNNG022", "Layer type is not a recurrent cell",
        "'{0}' is not a recurrent cell: a layer's type must be a class marked [RecurrentCell], such as Cells.Gru or Cells.Lstm",
        Models, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NonPositiveSize = new(
        "RNNG023", "Size must be positive",
        "{0} is {1}, but it must be a positive number of units",
        Models, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DropoutOutOfRange = new(
        "RNNG024", "Dropout out of range",
        "Dropout is {0}, but it must be at least 0 and less than 1 (it is the probability of zeroing a unit)",
        Models, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>{0} the value given.</summary>
    public static readonly DiagnosticDescriptor UnknownPooling = new(
        "RNNG025", "Unknown pooling",
        "{0} is not a pooling: use Pooling.Last, Pooling.Mean or Pooling.Max",
        Models, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>{0} the kind of model, {1} the class, {2} the argument (Classes, Tags), {3} its value, {4} one of them (class, tag).</summary>
    public static readonly DiagnosticDescriptor TooFewClasses = new(
        "RNNG026", "Fewer than two classes to choose from",
        "The {0} '{1}' has {2} = {3}, but it needs at least 2: with a single {4} every prediction is the same and there is nothing to learn",
        Models, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private const string Seq2Seq = "RnnGen.Seq2Seq";

    // RNNG030–RNNG033 were the sequence-to-sequence copies of RNNG020–RNNG023; [Seq2Seq] reports those now.

    public static readonly DiagnosticDescriptor DotAttentionSizeMismatch = new(
        "RNNG034", "Dot attention between outputs of different sizes",
        "Dot attention scores decoder states against encoder outputs, but the encoder gives {0} values ({1}) and the decoder's top layer has {2}: make them equal, or use AttentionKind.General or AttentionKind.Additive",
        Seq2Seq, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownAttentionKind = new(
        "RNNG035", "Unknown attention kind",
        "{0} is not an attention kind: use AttentionKind.Dot, AttentionKind.General or AttentionKind.Additive",
        Seq2Seq, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
