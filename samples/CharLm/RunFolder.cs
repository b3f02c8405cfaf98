using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CharLm;

/// <summary>
/// The --out folder of a training run, held by one run at a time: a lock file naming the process that trains
/// (<see cref="LockFile"/>), removed when the run ends; a lock left by a process that is gone is taken over.
/// </summary>
public sealed partial class RunFolder : IDisposable
{
    public const string LockFile = "train.lock";
    private readonly FileStream _lock;

    private RunFolder(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    public string Path { get; }
    public string LockPath => System.IO.Path.Combine(Path, LockFile);

    /// <summary>Creates <paramref name="directory"/> if needed and locks it; errors name the folder and the problem.</summary>
    public static RunFolder Acquire(string directory)
    {
        string full = System.IO.Path.GetFullPath(directory);
        try
        {
            Directory.CreateDirectory(full);
            return new RunFolder(full, Lock(full));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(full, e);
        }
    }

    /// <summary>A message naming the folder and what is wrong: a file in the way, no permission, a read-only or full disk.</summary>
    public static CliException CannotWrite(string folder, Exception e)
    {
        for (string? p = folder; p is not null; p = System.IO.Path.GetDirectoryName(p))
        {
            if (File.Exists(p))
                return new CliException(p == folder
                    ? $"--out: '{folder}' is a file, not a folder; choose another --out"
                    : $"--out: cannot create the folder '{folder}': '{p}' is a file, not a folder", ExitCodes.IO, e);
            if (Directory.Exists(p)) break;
        }
        string problem = e switch
        {
            UnauthorizedAccessException => "permission denied",
            IOException { HResult: 30 } => "it is on a read-only file system",
            IOException { HResult: 28 } => "the disk is full",
            _ => e.Message,
        };
        return new CliException($"--out: cannot write to the folder '{folder}': {problem}", ExitCodes.IO, e);
    }

    private static FileStream Lock(string folder)
    {
        string path = System.IO.Path.Combine(folder, LockFile);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                using var self = Process.GetCurrentProcess();
                var text = new StreamWriter(stream);
                text.Write(FormattableString.Invariant($"{Environment.ProcessId} {self.StartTime.ToUniversalTime().Ticks}\n"));
                text.Flush();
                return stream;
            }
            catch (IOException) when (File.Exists(path) && attempt < 3)
            {
                if (Holder(path) is { } pid)
                    throw new CliException($"--out: '{folder}' is in use by another training run (process {pid}); wait for it to end or stop it, " +
                                           $"or train into another --out (if no such process is training, delete {path})", ExitCodes.Busy);
                File.Delete(path); // left by a process that is gone
            }
        }
    }

    /// <summary>The process id in a lock file when that process is still running (the same process, started at the same time).</summary>
    private static int? Holder(string path)
    {
        string[] fields;
        try
        {
            fields = File.ReadAllText(path).Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return -1; // being written this very moment: held
        }
        if (fields.Length < 2 || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out int pid)
            || !long.TryParse(fields[1], CultureInfo.InvariantCulture, out long started))
            return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return null;
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - started) < TimeSpan.TicksPerSecond ? pid : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes what a killed atomic write left: <c>.NAME.GUID.tmp</c> beside the file (how <c>SafeTensors.Write</c> and
    /// <see cref="RnnGen.Checkpoints.AtomicFile"/> name them). Safe while the folder is locked: no other run writes here.
    /// </summary>
    public IReadOnlyList<string> RemoveStaleTemporaries()
    {
        var removed = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Path, ".*.tmp"))
        {
            if (!TemporaryName().IsMatch(System.IO.Path.GetFileName(file))) continue;
            File.Delete(file);
            removed.Add(file);
        }
        return removed;
    }

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();

    public void Dispose()
    {
        try { File.Delete(LockPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _lock.Dispose();
    }
}
