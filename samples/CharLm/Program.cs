using CharLm;

// Ctrl+C stops training at the end of the current window, saves a checkpoint and exits; a second Ctrl+C kills the process.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
    Console.Error.WriteLine("Stopping after this window and saving a checkpoint (Ctrl+C again to kill)...");
};
return Cli.Run(args, Console.Out, Console.Error, cancellation.Token);
