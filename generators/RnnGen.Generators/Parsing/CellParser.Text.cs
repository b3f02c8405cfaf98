using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RnnGen.Generators.Parsing;

// Text helpers: how a statement is named in a diagnostic, and source text shortened or with its whitespace normalized.
internal sealed partial class CellParser
{
    private static string Describe(StatementSyntax statement) => statement switch
    {
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "a loop",
        IfStatementSyntax or SwitchStatementSyntax => "a branch",
        _ => Shorten(statement.ToString()),
    };

    private static string Shorten(string text)
    {
        text = Normalize(text);
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    private static string Normalize(SyntaxNode node) => Normalize(node.ToString());
    private static string Normalize(string text) => string.Join(" ", text.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
}
