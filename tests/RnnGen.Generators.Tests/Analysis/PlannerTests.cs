using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>
/// The planner on IR built by hand: which products it hoists out of the recurrence and stacks into one group, at
/// what level each value is computed and in which pass and segment it lands, and what it saves between them.
/// </summary>
public sealed class PlannerTests
{
    private static CellPlan Plan(CellModel cell) => Planner.Plan(Differentiator.Differentiate(Normalizer.Normalize(cell)));

    /// <summary>A GRU: z and r gate h, the candidate multiplies r * h by a weight.</summary>
    private sealed class Gru
    {
        public readonly CellModel Cell;
        public readonly int Wz, Wr, Wh, Uz, Ur, Uh;
        public readonly int WzX, WrX, WhX, UzH, UrH, UhRh, H, Z, R, Rh, C, Next;

        public Gru(bool interleaved = false)
        {
            var ir = new Ir();
            if (interleaved)
            {
                (Wz, Uz, Wr, Ur, Wh, Uh) = (ir.Weight("Wz"), ir.Weight("Uz"), ir.Weight("Wr"), ir.Weight("Ur"), ir.Weight("Wh"), ir.Weight("Uh"));
            }
            else
            {
                (Wz, Wr, Wh, Uz, Ur, Uh) = (ir.Weight("Wz"), ir.Weight("Wr"), ir.Weight("Wh"), ir.Weight("Uz"), ir.Weight("Ur"), ir.Weight("Uh"));
            }
            int bz = ir.BiasField("bz"), br = ir.BiasField("br"), bh = ir.BiasField("bh");
            int x = ir.Input();
            H = ir.State();
            WzX = ir.MatVec(Wz, x);
            UzH = ir.MatVec(Uz, H);
            Z = ir.Op(NodeKind.Sigmoid, ir.Op(NodeKind.Add, ir.Op(NodeKind.Add, WzX, UzH), ir.Bias(bz)), name: "z");
            WrX = ir.MatVec(Wr, x);
            UrH = ir.MatVec(Ur, H);
            R = ir.Op(NodeKind.Sigmoid, ir.Op(NodeKind.Add, ir.Op(NodeKind.Add, WrX, UrH), ir.Bias(br)), name: "r");
            WhX = ir.MatVec(Wh, x);
            Rh = ir.Op(NodeKind.Multiply, R, H, name: "rh");
            UhRh = ir.MatVec(Uh, Rh);
            C = ir.Op(NodeKind.Tanh, ir.Op(NodeKind.Add, ir.Op(NodeKind.Add, WhX, UhRh), ir.Bias(bh)), name: "c");
            int keep = ir.Op(NodeKind.Multiply, ir.Op(NodeKind.Subtract, ir.Constant(1), Z), H);
            Next = ir.Output(ir.Op(NodeKind.Add, keep, ir.Op(NodeKind.Multiply, Z, C)));
            Cell = ir.Build("Gru");
        }
    }

    [Fact]
    public void Products_of_the_input_are_hoisted_into_one_group_before_the_recurrence()
    {
        var gru = new Gru();

        var plan = Plan(gru.Cell);

        var input = plan.Groups[0];
        Assert.Equal(-1, input.Operand);
        Assert.Equal(0, input.Level);
        Assert.Equal("Xp", input.Name);
        Assert.Equal(new[] { gru.WzX, gru.WrX, gru.WhX }, input.Products);
        Assert.Equal(new[] { new Run(0, 3) }, input.Runs); // Wz, Wr, Wh lie next to each other: one product
    }

    [Fact]
    public void Products_of_one_state_are_stacked_and_a_product_of_a_computed_value_waits_for_it()
    {
        var gru = new Gru();

        var plan = Plan(gru.Cell);

        Assert.Equal(3, plan.Groups.Count);
        var byState = plan.Groups[1];
        Assert.Equal((gru.H, 1, "Rp_h"), (byState.Operand, byState.Level, byState.Name));
        Assert.Equal(new[] { gru.UzH, gru.UrH }, byState.Products);
        var byRh = plan.Groups[2];
        Assert.Equal((gru.Rh, 2, "Rp_rh"), (byRh.Operand, byRh.Level, byRh.Name));
        Assert.Equal(new[] { gru.UhRh }, byRh.Products);
        Assert.Equal(2, plan.GroupOf[gru.UhRh]);
        Assert.Equal(1, plan.BlockOf[gru.UrH]);
    }

    [Fact]
    public void Weights_that_are_not_next_to_each_other_make_one_run_each()
    {
        var gru = new Gru(interleaved: true);

        var plan = Plan(gru.Cell);

        Assert.Equal(new[] { new Run(0, 1), new Run(1, 1), new Run(2, 1) }, plan.Groups[0].Runs);
        Assert.Equal(new[] { new Run(0, 1), new Run(1, 1) }, plan.Groups[1].Runs);
    }

    [Fact]
    public void Each_value_lands_in_the_pass_of_the_last_level_its_consumers_allow()
    {
        var gru = new Gru();

        var plan = Plan(gru.Cell);

        Assert.Equal(2, plan.Passes.Count);
        Assert.Equal(new[] { 1, 2 }, plan.Passes.Select(p => p.Level));
        // r and r * h are needed by the product of level 2, so they are computed after the products of level 1.
        Assert.Equal((1, 0), (plan.Level[gru.R], plan.PassOf[gru.R]));
        Assert.Equal((1, 0), (plan.Level[gru.Rh], plan.PassOf[gru.Rh]));
        // z is only read by the last pass's math, so it moves there rather than being saved by the first.
        Assert.Equal((2, 1), (plan.Level[gru.Z], plan.PassOf[gru.Z]));
        Assert.Equal((2, 1), (plan.Level[gru.C], plan.PassOf[gru.C]));
        Assert.Equal(1, plan.PassOf[gru.Next]);
        Assert.Equal(-1, plan.PassOf[gru.UzH]); // products are not in a pass
    }

    [Fact]
    public void Only_a_value_read_by_a_product_or_another_pass_is_saved()
    {
        var gru = new Gru();

        var plan = Plan(gru.Cell);

        var saved = Enumerable.Range(0, plan.Saved.Count).Where(i => plan.Saved[i]).ToArray();
        Assert.Equal(new[] { gru.Rh }, saved);
        Assert.True(plan.AdjointSlot[gru.Rh]); // its adjoint comes back from the product of level 2
        Assert.False(plan.AdjointSlot[gru.Z]);
    }

    [Fact]
    public void A_LayerNorm_starts_a_new_segment_that_needs_its_inputs_saved()
    {
        var ir = new Ir();
        int w = ir.Weight("W"), u = ir.Weight("U"), g = ir.BiasField("g"), beta = ir.BiasField("beta");
        int h = ir.State();
        int sum = ir.Op(NodeKind.Add, ir.MatVec(w, ir.Input()), ir.MatVec(u, h), name: "a");
        int norm = ir.LayerNorm(sum, g, beta, name: "n");
        int tanh = ir.Op(NodeKind.Tanh, norm);
        int next = ir.Output(ir.Op(NodeKind.Multiply, tanh, h));

        var plan = Plan(ir.Build());

        var pass = Assert.Single(plan.Passes);
        Assert.Equal(2, pass.Segments.Count);
        Assert.Equal(new[] { sum }, pass.Segments[0].Nodes);
        Assert.Equal(new[] { norm }, pass.Segments[1].Norms);
        Assert.Equal((0, 1, 1, 1), (plan.SegmentOf[sum], plan.SegmentOf[norm], plan.SegmentOf[tanh], plan.SegmentOf[next]));
        Assert.True(plan.Saved[sum]); // the row statistics are computed between the segments, from the saved row
        Assert.True(plan.AdjointSlot[norm]); // its adjoint row is summed before its input's segment runs backward
        Assert.False(plan.AdjointSlot[sum]); // which gets its adjoint from the LayerNorm in its own segment
    }

    [Fact]
    public void Every_value_gets_a_unique_name_and_a_user_name_that_collides_with_generated_ones_is_changed()
    {
        var ir = new Ir();
        int u = ir.Weight("U");
        int h = ir.State();
        int t1 = ir.Op(NodeKind.Tanh, ir.MatVec(u, h), name: "d_t");
        int t2 = ir.Op(NodeKind.Sigmoid, t1, name: "TV");
        ir.Output(t2);

        var plan = Plan(ir.Build());

        Assert.Equal("vd_t", plan.Names[t1]);
        Assert.Equal("vTV", plan.Names[t2]);
        Assert.Equal(plan.Names.Where(n => n.Length > 0).Count(), plan.Names.Where(n => n.Length > 0).Distinct().Count());
    }
}
