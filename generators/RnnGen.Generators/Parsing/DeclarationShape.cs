using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Parsing;

/// <summary>
/// What every generated partial class must be: partial, not static, not generic, and nested (if at all)
/// only in partial non-generic classes, which the generated code repeats around itself.
/// </summary>
internal readonly struct DeclarationShape
{
    private DeclarationShape(bool isValid, string problem, EquatableArray<string> containingTypes)
    {
        IsValid = isValid;
        Problem = problem;
        ContainingTypes = containingTypes;
    }

    public bool IsValid { get; }
    /// <summary>Empty, or a clause naming the enclosing type that is not partial, for the diagnostic's message.</summary>
    public string Problem { get; }
    /// <summary>The enclosing classes, outermost first.</summary>
    public EquatableArray<string> ContainingTypes { get; }

    /// <param name="generatedBase">The base class the generator adds, so that the class may have no other; null when the generator adds none.</param>
    public static DeclarationShape Of(ClassDeclarationSyntax declaration, INamedTypeSymbol symbol, string? generatedBase = null)
    {
        bool valid = declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                     && !declaration.Modifiers.Any(SyntaxKind.StaticKeyword)
                     && declaration.TypeParameterList is null
                     && (generatedBase is null || symbol.BaseType is null || symbol.BaseType.SpecialType == SpecialType.System_Object
                         || symbol.BaseType.ToDisplayString() == generatedBase);
        string problem = "";
        var containing = new List<string>();
        for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (parent is not ClassDeclarationSyntax || !parent.Modifiers.Any(SyntaxKind.PartialKeyword) || parent.TypeParameterList is not null)
            {
                valid = false;
                problem = $" (and so must its enclosing type '{parent.Identifier.ValueText}')";
            }
            containing.Insert(0, parent.Identifier.ValueText);
        }
        return new DeclarationShape(valid, problem, containing.ToEquatableArray());
    }
}
