using Microsoft.CodeAnalysis;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// One test per diagnostic: the ID, the span of the offending syntax (marked <c>[|...|]</c> in the
/// source) and a message that says what is wrong.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using System;\nusing RnnGen;\nusing static RnnGen.Ops;\n\n";

    [Fact]
    public void A_cell_that_is_not_partial_is_reported_on_its_name()
    {
        var d = Expect("RNNG001", """
            [RecurrentCell]
            public class [|Plain|]
            {
                Weight W;
                Vec Step(Vec x, Vec h) => Tanh(W * x);
            }
            """);
        Assert.Contains("'Plain' must be a non-generic, non-static partial class", Message(d));
        Assert.Contains("add the 'partial' modifier", Message(d));
    }

    [Fact]
    public void A_partial_cell_nested_in_a_class_that_is_not_partial_is_reported_and_names_the_enclosing_class()
    {
        var d = Expect("RNNG001", """
            public class Outer
            {
                [RecurrentCell]
                public partial class [|Inner|]
                {
                    Weight W;
                    Vec Step(Vec x, Vec h) => Tanh(W * x);
                }
            }
            """);
        Assert.Contains("'Inner'", Message(d));
        Assert.Contains("enclosing type 'Outer'", Message(d));
    }

    [Fact]
    public void A_cell_without_a_Step_method_is_reported_on_its_name()
    {
        var d = Expect("RNNG002", """
            [RecurrentCell]
            public partial class [|Stepless|]
            {
                Weight W;
                Vec Next(Vec x, Vec h) => Tanh(W * x);
            }
            """);
        Assert.Contains("'Stepless' has no Step method", Message(d));
    }

    [Fact]
    public void A_Step_method_without_a_state_parameter_is_reported_on_its_parameter_list()
    {
        var d = Expect("RNNG003", """
            [RecurrentCell]
            public partial class NoState
            {
                Weight W;
                Vec Step[|(Vec x)|] => Tanh(W * x);
            }
            """);
        Assert.Contains("takes the input and at least one state", Message(d));
    }

    [Fact]
    public void A_Step_parameter_that_is_not_a_Vec_is_reported_on_that_parameter()
    {
        var d = Expect("RNNG003", """
            [RecurrentCell]
            public partial class FloatState
            {
                Weight W;
                Vec Step(Vec x, [|float h|]) => Tanh(W * x);
            }
            """);
        Assert.Contains("parameter 'h' must be a plain 'Vec'", Message(d));
    }

    [Fact]
    public void A_Step_with_two_states_returning_a_tuple_of_three_is_reported_on_the_return_type()
    {
        var d = Expect("RNNG003", """
            [RecurrentCell]
            public partial class Arity
            {
                Weight W, U;
                [|(Vec h, Vec c, Vec d)|] Step(Vec x, Vec h, Vec c) => (Tanh(W * x + U * h), c, h);
            }
            """);
        Assert.Contains("takes 2 state(s), so it must return a tuple of 2 'Vec' values", Message(d));
    }

    [Fact]
    public void A_for_loop_in_Step_is_reported_on_the_loop()
    {
        var d = Expect("RNNG004", """
            [RecurrentCell]
            public partial class Loop
            {
                Weight W, U;
                Vec Step(Vec x, Vec h)
                {
                    [|for (int i = 0; i < 2; i++) { }|]
                    return Tanh(W * x + U * h);
                }
            }
            """);
        Assert.Contains("'a loop' is not supported in a Step method", Message(d));
    }

    [Fact]
    public void An_if_statement_in_Step_is_reported_on_the_branch()
    {
        var d = Expect("RNNG004", """
            [RecurrentCell]
            public partial class Branch
            {
                Weight W, U;
                Vec Step(Vec x, Vec h)
                {
                    var a = Tanh(W * x + U * h);
                    [|if (DateTime.Now.Hour > 12) return a;|]
                    return a;
                }
            }
            """);
        Assert.Contains("'a branch' is not supported in a Step method", Message(d));
    }

    [Fact]
    public void A_call_outside_Ops_is_reported_on_the_call()
    {
        var d = Expect("RNNG005", """
            [RecurrentCell]
            public partial class MathCall
            {
                Weight W, U;
                Vec Step(Vec x, Vec h) => Tanh(W * x + [|Math.Max(1f, 2f)|] * (U * h));
            }
            """);
        Assert.Contains("'Math.Max(1f, 2f)' is not supported", Message(d));
        Assert.Contains("only the functions of RnnGen.Ops", Message(d));
    }

    [Fact]
    public void An_operator_outside_the_DSL_is_reported_on_it_and_the_message_lists_the_ones_in_it()
    {
        var d = Expect("RNNG005", """
            [RecurrentCell]
            public partial class Remainder
            {
                Weight W, U;
                Vec Step(Vec x, Vec h) => Tanh(W * x + [|7f % 3f|] * (U * h));
            }
            """);
        Assert.Contains("the operator '%' is not part of the DSL", Message(d));
        Assert.Contains("use +, -, * and /", Message(d)); // division is one of them
    }

    [Fact]
    public void An_Ops_function_called_with_the_wrong_number_of_arguments_is_reported_on_the_call_without_a_crash()
    {
        var marked = MarkedSource.Parse(Usings + """
            [RecurrentCell]
            public partial class OneArgumentMax
            {
                Weight W, U;
                Vec Step(Vec x, Vec h) => Tanh(W * x + [|Max(U * h)|]);
            }
            """);
        var run = CellCompiler.Run(marked.Text);

        Assert.Contains(run.Input.GetDiagnostics(), d => d.Id == "CS7036"); // the compiler: no argument for Max's 'b'
        var d = run.SingleGeneratorDiagnostic("RNNG005");
        AssertAt(marked, d);
        Assert.Contains("Max takes 2 vectors", Message(d));
        Assert.DoesNotContain(run.GeneratorDiagnostics, other => other.Id == "RNNG011");
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void An_assignment_to_a_Step_parameter_is_reported_on_the_assigned_name()
    {
        var d = Expect("RNNG006", """
            [RecurrentCell]
            public partial class Reassign
            {
                Weight W, U;
                Vec Step(Vec x, Vec h)
                {
                    [|h|] = Tanh(W * x + U * h);
                    return h;
                }
            }
            """);
        Assert.Contains("'h' cannot be assigned in a Step method", Message(d));
    }

    [Fact]
    public void A_weight_times_a_number_is_a_shape_mismatch_on_the_product()
    {
        var d = Expect("RNNG007", """
            [RecurrentCell]
            public partial class Mismatch
            {
                Weight W, U;
                Bias b;
                Vec Step(Vec x, Vec h) => Tanh([|W * 2f|] + U * h + b);
            }
            """);
        Assert.Contains("'W * 2' combines a matrix-sized operand with a scalar-sized one", Message(d));
    }

    [Fact]
    public void A_weight_multiplied_by_the_input_and_by_a_state_is_reported_on_the_second_product()
    {
        var d = Expect("RNNG008", """
            [RecurrentCell]
            public partial class SharedWeight
            {
                Weight W;
                Vec Step(Vec x, Vec h) => Tanh(W * x + [|W * h|]);
            }
            """);
        Assert.Contains("Weight 'W' is multiplied by a hidden-sized operand here but by a input-sized operand elsewhere", Message(d));
    }

    [Fact]
    public void Returning_a_number_as_the_next_state_is_reported_on_the_returned_expression()
    {
        var d = Expect("RNNG009", """
            [RecurrentCell]
            public partial class EchoNumber
            {
                Vec Step(Vec x, Vec h) => [|0.5f|];
            }
            """);
        Assert.Contains("is scalar-sized, but states are hidden-sized", Message(d));
    }

    [Fact]
    public void An_unused_parameter_is_a_warning_on_the_field_and_the_cell_is_still_generated()
    {
        var marked = MarkedSource.Parse(Usings + """
            [RecurrentCell]
            internal partial class Spare
            {
                Weight W, U;
                Bias b, [|spare|];
                Vec Step(Vec x, Vec h) => Tanh(W * x + U * h + b);
            }
            """);
        var run = CellCompiler.Run(marked.Text).ShouldSucceed(allowedIds: "RNNG010");
        var d = run.SingleGeneratorDiagnostic("RNNG010");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        AssertAt(marked, d);
        Assert.Contains("'spare' is declared but never used in Step", Message(d));
        // The cell's passes and its step as data for the ONNX export; the warning is reported once, with the passes.
        Assert.Equal(["Spare.g.cs", "Spare.Onnx.g.cs"], run.Sources.Select(s => s.HintName).Order());
    }

    [Fact]
    public void Packed_weights_applied_to_operands_of_different_sizes_are_reported_on_the_odd_one()
    {
        var d = Expect("RNNG012", """
            [RecurrentCell]
            public partial class BadPack
            {
                [Packed("weight")] Weight A, [|B|];
                Vec Step(Vec x, Vec h) => Tanh(A * x + B * h);
            }
            """);
        Assert.Contains("packed as 'weight' must all be weights or all biases, of one shape", Message(d));
        Assert.Contains("'B' is a weight applied to hidden-sized values but 'A' is a weight applied to the input", Message(d));
    }

    [Fact]
    public void A_weight_and_a_bias_packed_together_are_reported_on_the_bias()
    {
        var d = Expect("RNNG012", """
            [RecurrentCell]
            public partial class MixedPack
            {
                [Packed("p")] Weight U;
                [Packed("p")] Bias [|b|];
                Vec Step(Vec x, Vec h) => Tanh(U * h + b);
            }
            """);
        Assert.Contains("'b' is a bias but 'U' is a weight", Message(d));
    }

    [Fact]
    public void Prev_of_a_state_is_reported_on_the_call()
    {
        var d = Expect("RNNG014", """
            [RecurrentCell]
            public partial class PrevState
            {
                Weight W, U;
                Vec Step(Vec x, Vec h) => Tanh(W * x + U * [|Prev(h)|]);
            }
            """);
        Assert.Contains("'Prev(h)' is not supported: Prev takes the cell's input itself, as in 'Prev(x)'", Message(d));
        Assert.Contains("the previous value of a state is the state itself", Message(d));
    }

    [Fact]
    public void Prev_of_Prev_is_reported_on_the_outer_call()
    {
        var d = Expect("RNNG014", """
            [RecurrentCell]
            public partial class PrevPrev
            {
                Weight W, U;
                Vec Step(Vec input, Vec h) => Tanh(W * input + U * h + [|Prev(Prev(input))|]);
            }
            """);
        Assert.Contains("as in 'Prev(input)'", Message(d));
        Assert.Contains("the input two steps back (Prev of Prev) is not supported", Message(d));
    }

    [Fact]
    public void Prev_of_a_value_computed_from_the_input_is_reported_on_the_call()
    {
        var d = Expect("RNNG014", """
            [RecurrentCell]
            public partial class PrevOfProduct
            {
                Weight W, U;
                Vec Step(Vec x, Vec h) => Tanh(U * h + [|Prev(W * x)|]);
            }
            """);
        Assert.Contains("'Prev(W * x)' is not supported", Message(d));
    }

    [Fact]
    public void A_weight_times_Prev_of_x_and_times_a_state_is_reported_on_the_product_of_Prev()
    {
        var d = Expect("RNNG008", """
            [RecurrentCell]
            public partial class PrevAndState
            {
                Weight W;
                Vec Step(Vec x, Vec h) => Tanh(W * h + [|W * Prev(x)|]);
            }
            """);
        Assert.Contains("'W'", Message(d));
    }

    [Fact]
    public void The_input_read_elementwise_and_through_Prev_generates_a_cell_with_no_diagnostic()
    {
        CellCompiler.Run(Usings + """
            [RecurrentCell]
            public partial class Highway
            {
                Weight W, V, U;
                Vec Step(Vec x, Vec h) => Tanh(W * x + V * Prev(x) + U * h) + (1 - h) * x + Prev(x) / 2;
            }
            """).ShouldSucceed();
    }

    /// <summary>
    /// Runs the generator on a marked source that is valid C#, and checks that exactly one error with
    /// <paramref name="id"/> is reported at the marked span and that no code is generated for the cell.
    /// </summary>
    private static Diagnostic Expect(string id, string source)
    {
        var marked = MarkedSource.Parse(Usings + source);
        var run = CellCompiler.Run(marked.Text);
        Assert.DoesNotContain(run.Input.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var d = run.SingleGeneratorDiagnostic(id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        AssertAt(marked, d);
        Assert.DoesNotContain(run.GeneratorDiagnostics, other => other.Id == "RNNG011");
        Assert.Empty(run.Sources);
        return d;
    }

    private static void AssertAt(MarkedSource marked, Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        Assert.Equal("Cell0.cs", span.Path);
        Assert.Equal(marked.ExpectedLineSpan, span.Span);
        Assert.Equal(marked.Spans[0], d.Location.SourceSpan);
    }

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
}
