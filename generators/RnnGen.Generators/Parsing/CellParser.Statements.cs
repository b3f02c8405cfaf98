using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Parsing;

// The Step method's body: its locals, its statements and the final return of the next state(s).
internal sealed partial class CellParser
{
    private List<int>? ParseBody(MethodDeclarationSyntax step, string cellName, List<string> equations)
    {
        if (step.ExpressionBody is { } arrow)
        {
            equations.Add("return " + Normalize(arrow.Expression) + ";");
            return ParseReturn(arrow.Expression, step, cellName);
        }

        var statements = step.Body!.Statements;
        List<int>? outputs = null;
        for (int i = 0; i < statements.Count; i++)
        {
            _cancellation.ThrowIfCancellationRequested();
            var statement = statements[i];
            if (outputs is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, Describe(statement));
                return null;
            }
            switch (statement)
            {
                case LocalDeclarationStatementSyntax local when !local.IsConst && local.UsingKeyword == default
                                                             && (local.Declaration.Type.IsVar || IsVec(local.Declaration.Type)):
                    foreach (var variable in local.Declaration.Variables)
                    {
                        if (variable.Initializer is null)
                        {
                            Report(DiagnosticDescriptors.UnsupportedStatement, variable, variable.ToString());
                            return null;
                        }
                        int value = ParseExpression(variable.Initializer.Value);
                        if (value < 0) return null;
                        string name = variable.Identifier.ValueText;
                        if (_locals.ContainsKey(name) || _stateNames.Contains(name) || name == _inputName) return null; // the compiler reports it
                        _locals[name] = value;
                        if (_nodes[value].IsElementwise && _nodes[value].Name is null)
                            _nodes[value] = _nodes[value] with { Name = name };
                        equations.Add(name + " = " + Normalize(variable.Initializer.Value));
                    }
                    break;
                case ReturnStatementSyntax { Expression: { } returned }:
                    equations.Add("return " + Normalize(returned));
                    outputs = ParseReturn(returned, step, cellName);
                    if (outputs is null) return null;
                    break;
                case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                    Report(DiagnosticDescriptors.InvalidAssignment, assignment.Left, assignment.Left.ToString());
                    return null;
                case ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax } increment
                    when increment.Expression.IsKind(SyntaxKind.PostIncrementExpression) || increment.Expression.IsKind(SyntaxKind.PostDecrementExpression)
                      || increment.Expression.IsKind(SyntaxKind.PreIncrementExpression) || increment.Expression.IsKind(SyntaxKind.PreDecrementExpression):
                    Report(DiagnosticDescriptors.InvalidAssignment, increment, increment.Expression.ToString());
                    return null;
                default:
                    Report(DiagnosticDescriptors.UnsupportedStatement, statement, Describe(statement));
                    return null;
            }
        }
        if (outputs is null)
        {
            Report(DiagnosticDescriptors.InvalidStepSignature, step.Identifier, cellName, "its body must end with 'return' of the next state(s)");
        }
        return outputs;
    }

    private List<int>? ParseReturn(ExpressionSyntax returned, MethodDeclarationSyntax step, string cellName)
    {
        var parts = returned is TupleExpressionSyntax tuple
            ? tuple.Arguments.Select(a => a.Expression).ToList()
            : new List<ExpressionSyntax> { returned };
        if (parts.Count != _stateNames.Length)
        {
            Report(DiagnosticDescriptors.InvalidStepSignature, returned, cellName,
                $"it returns {parts.Count} value(s) but takes {_stateNames.Length} state(s); return one next value per state, in order");
            return null;
        }
        var outputs = new List<int>();
        for (int k = 0; k < parts.Count; k++)
        {
            int value = ParseExpression(parts[k]);
            if (value < 0) return null;
            outputs.Add(Add(new Node(0, NodeKind.Output, A: value, StateIndex: k, Name: _stateNames[k] + "Next", Location: LocationInfo.From(parts[k]))));
        }
        return outputs;
    }
}
