using System.Diagnostics;
using System.Globalization;
using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CharLm;

/// <summary>
/// Shows training as it goes: a live panel (Spectre.Console) on a terminal, plain lines in a log or CI; records the
/// loss curve. Reports arrive on the training thread, which is also the thread that renders.
/// </summary>
public sealed class ProgressDisplay : IProgress<TrainingProgress>
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CurveInterval = TimeSpan.FromSeconds(2);
    private readonly IAnsiConsole _console;
    private readonly TextWriter _plain;
    private readonly string _title;
    private readonly long _tokensPerStep;
    private readonly LossCurve _curve;
    private readonly Action<TrainingProgress>? _hook;
    private readonly List<EpochResult> _validations = [];
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private TimeSpan? _lastPlain;
    private TimeSpan? _lastCurve;
    private LiveDisplayContext? _live;
    private TrainingProgress? _latest;

    public ProgressDisplay(IAnsiConsole console, TextWriter plain, string title, long tokensPerStep, LossCurve curve, Action<TrainingProgress>? hook = null)
    {
        _console = console;
        _plain = plain;
        _title = title;
        _tokensPerStep = tokensPerStep;
        _curve = curve;
        _hook = hook;
        Live = console.Profile.Out.IsTerminal && console.Profile.Capabilities.Ansi && console.Profile.Capabilities.Interactive;
    }

    /// <summary>Whether the live panel is used (a terminal) rather than plain lines.</summary>
    public bool Live { get; }

    public IReadOnlyList<EpochResult> Validations => _validations;

    /// <summary>Runs <paramref name="train"/> (which reports to this display) with the live panel up, if there is one.</summary>
    public T Run<T>(Func<T> train)
    {
        if (!Live) return train();
        T result = default!;
        _console.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).Start(ctx =>
        {
            _live = ctx;
            try
            {
                result = train();
            }
            finally
            {
                ctx.UpdateTarget(Render());
                _live = null;
            }
        });
        return result;
    }

    public void Report(TrainingProgress p)
    {
        _latest = p;
        long tokens = p.Step * _tokensPerStep;
        double epoch = p.Epoch - 1 + p.EpochFraction;
        if (p.Validation is { } v)
        {
            _validations.Add(v);
            _curve.Add(new LossPoint(v.Step, v.Epoch - 1 + v.EpochFraction, v.Tokens, v.Elapsed.TotalSeconds, v.TrainLoss, v.ValidationLoss));
            _lastCurve = p.Elapsed;
        }
        else if (_lastCurve is not { } c || p.Elapsed - c >= CurveInterval)
        {
            _curve.Add(new LossPoint(p.Step, epoch, tokens, p.Elapsed.TotalSeconds, p.Loss, null));
            _lastCurve = p.Elapsed;
        }

        if (_live is not null)
        {
            _live.UpdateTarget(Render());
        }
        else if (!Live)
        {
            if (p.Validation is { } r)
            {
                bool best = _validations.Count == 1 || r.ValidationLoss <= _validations.Min(x => x.ValidationLoss);
                _plain.WriteLine(Invariant($"validation at step {r.Step}: loss {r.ValidationLoss:0.0000}, perplexity {r.Perplexity:0.000}, {r.BitsPerToken:0.000} bits/char{(best ? " (best so far, saved)" : "")}"));
            }
            else if (_lastPlain is not { } l || _wall.Elapsed - l >= PlainInterval)
            {
                _lastPlain = _wall.Elapsed;
                _plain.WriteLine(StatusLine(p));
            }
        }
        _hook?.Invoke(p);
    }

    public static string StatusLine(TrainingProgress p) =>
        Invariant($"step {p.Step}  epoch {p.Epoch - 1 + p.EpochFraction:0.00}  loss {p.Loss:0.0000}  {p.TokensPerSecond:N0} chars/s  elapsed {Clock(p.Elapsed)}  ETA {(p.Remaining is { } r ? Clock(r) : "?")}");

    public static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    private IRenderable Render()
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        var p = _latest;
        if (p is null)
        {
            grid.AddRow(new Markup("[grey]status[/]"), new Text("starting..."));
        }
        else
        {
            double done = p.Remaining is { } r && (p.Elapsed + r).TotalSeconds > 0 ? p.Elapsed.TotalSeconds / (p.Elapsed + r).TotalSeconds : 0;
            int width = 30, filled = (int)Math.Round(Math.Clamp(done, 0, 1) * width);
            grid.AddRow(new Markup("[grey]progress[/]"), new Markup(Invariant($"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/] {done:P0}")));
            grid.AddRow(new Markup("[grey]step[/]"), new Text(Invariant($"{p.Step}   epoch {p.Epoch - 1 + p.EpochFraction:0.00}   lr {p.LearningRate:0.#####}")));
            grid.AddRow(new Markup("[grey]loss[/]"), new Markup(Invariant($"[bold]{p.Loss:0.0000}[/] (training, smoothed)")));
            grid.AddRow(new Markup("[grey]speed[/]"), new Text(Invariant($"{p.TokensPerSecond:N0} chars/s")));
            grid.AddRow(new Markup("[grey]time[/]"), new Text($"{Clock(p.Elapsed)} elapsed, ETA {(p.Remaining is { } rem ? Clock(rem) : "?")}"));
        }
        var table = new Table().Border(TableBorder.Simple).AddColumns("step", "epoch", "val loss", "perplexity", "bits/char");
        foreach (var v in _validations.TakeLast(8))
            table.AddRow(Invariant($"{v.Step}"), Invariant($"{v.Epoch - 1 + v.EpochFraction:0.00}"), Invariant($"{v.ValidationLoss:0.0000}"),
                Invariant($"{v.Perplexity:0.000}"), Invariant($"{v.BitsPerToken:0.000}"));
        IRenderable body = _validations.Count == 0 ? grid : new Rows(grid, table);
        return new Panel(body).Header(Markup.Escape(_title)).Border(BoxBorder.Rounded);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
