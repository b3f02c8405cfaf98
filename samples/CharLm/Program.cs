using System.Runtime.InteropServices;
using CharLm;

// Ctrl+C or SIGTERM stops training at the end of the current window, saves a checkpoint and exits; a second one kills the process.
using var cancellation = new CancellationTokenSource();
bool terminated = false;
void Stop(string what, Action cancelDefault)
{
    if (cancellation.IsCancellationRequested) return;
    cancelDefault();
    cancellation.Cancel();
    Console.Error.WriteLine($"{what}: stopping after this window and saving a checkpoint ({what} again to kill)...");
}
Console.CancelKeyPress += (_, e) => Stop("Ctrl+C", () => e.Cancel = true);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop("SIGTERM", () =>
{
    context.Cancel = true;
    terminated = true;
}));
// A safety net for a failure on another thread: a message and exit code 70, never a crash dump.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Cli.Report(e.ExceptionObject as Exception ?? new InvalidOperationException(e.ExceptionObject?.ToString()), Console.Error);
    Environment.Exit(ExitCodes.Internal);
};
int code = Cli.Run(args, Console.Out, Console.Error, cancellation.Token);
return code == ExitCodes.Interrupted && terminated ? ExitCodes.Terminated : code;
