using System.Diagnostics;

namespace RnnGen.Tests.Models;

/// <summary>A test that needs Debian's python3-torch; reported as skipped (not passed) where it is not installed.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() => Python.Run("-c \"import torch\"", out _) == 0);

    public TorchFactAttribute()
    {
        if (!Available.Value) Skip = "python3-torch is not installed (apt-get install -y python3-torch)";
    }
}

internal static class Python
{
    /// <summary>Runs Debian's python3 with OpenBLAS's slow-path variables removed, as the project's PyTorch scripts expect.</summary>
    public static int Run(string arguments, out string output)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd() + stderr.Result;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return -1;
        }
    }
}
