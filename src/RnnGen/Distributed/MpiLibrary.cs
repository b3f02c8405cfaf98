using System.Runtime.InteropServices;

namespace RnnGen.Distributed;

/// <summary>
/// Open MPI's <c>libmpi</c>, bound by hand at run time: the library is opened, and its functions and predefined
/// handles looked up, only the first time distributed training asks for it, so a process without MPI installed
/// never touches it (and the runtime stays free of reflection and dynamic code: function pointers only).
/// </summary>
/// <remarks>
/// Open MPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, ...) are not integers as in MPICH
/// or MS-MPI but the addresses of exported objects (<c>ompi_mpi_comm_world</c>, ...), which is why this binding
/// is Open MPI's alone. The ABI is that of Open MPI 4.x and 5.x (<c>libmpi.so.40</c>).
/// </remarks>
internal sealed unsafe class MpiLibrary
{
    /// <summary>What to install where <c>libmpi</c> is missing, in every message that says so.</summary>
    internal const string InstallHint =
        "install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev; Fedora: dnf install openmpi) and run under mpirun";

    private static readonly string[] Names = ["libmpi.so.40", "libmpi.so", "libmpi.40.dylib", "libmpi.dylib"];
    private static readonly Lock Gate = new();
    private static MpiLibrary? _loaded;

    // MPI's enum values that Open MPI fixes in its mpi.h.
    internal const int Success = 0;
    internal const int ThreadSerialized = 2;
    internal const int MaxErrorString = 256;
    /// <summary>MPI_IN_PLACE is <c>(void *) 1</c> in Open MPI.</summary>
    internal static readonly nint InPlace = 1;

    internal readonly nint CommWorld, Float, Double, Sum, ErrorsReturn;

    internal readonly delegate* unmanaged<int*, int> Initialized, Finalized;
    internal readonly delegate* unmanaged<int*, byte***, int, int*, int> InitThread;
    internal readonly delegate* unmanaged<int> Finalize;
    internal readonly delegate* unmanaged<nint, int*, int> CommRank, CommSize;
    internal readonly delegate* unmanaged<nint, nint, int> CommSetErrhandler;
    internal readonly delegate* unmanaged<void*, int, nint, int, nint, int> Bcast;
    internal readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce;
    internal readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int> Iallreduce;
    internal readonly delegate* unmanaged<nint*, void*, int> Wait;
    internal readonly delegate* unmanaged<nint, int> Barrier;
    internal readonly delegate* unmanaged<int, byte*, int*, int> ErrorString;

    private MpiLibrary(nint handle)
    {
        nint Export(string name) => NativeLibrary.TryGetExport(handle, name, out var address) ? address
            : throw new MpiException($"The MPI library found has no '{name}': it is not Open MPI 4.x or 5.x ({InstallHint}).");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Sum = Export("ompi_mpi_op_sum");
        ErrorsReturn = Export("ompi_mpi_errors_return");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Iallreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int>)Export("MPI_Iallreduce");
        Wait = (delegate* unmanaged<nint*, void*, int>)Export("MPI_Wait");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
    }

    /// <summary>The library, opened on first use; an <see cref="MpiException"/> naming what to install where it is missing.</summary>
    internal static MpiLibrary Load()
    {
        lock (Gate)
        {
            return _loaded ??= new MpiLibrary(Open(Names));
        }
    }

    /// <summary>The first of <paramref name="names"/> that opens; an <see cref="MpiException"/> naming what to install where none does.</summary>
    internal static nint Open(IReadOnlyList<string> names)
    {
        foreach (var name in names)
            if (OpenGlobal(name) is { } handle)
                return handle;
        throw new MpiException($"Distributed training needs MPI, but no Open MPI library ({string.Join(", ", names)}) could be loaded: {InstallHint}.");
    }

    /// <summary>
    /// Opens the library with RTLD_GLOBAL where dlopen exists: Open MPI loads its own components as plugins, which
    /// find libmpi's and libopen-pal's symbols only in the global scope (NativeLibrary opens libraries locally).
    /// </summary>
    private static nint? OpenGlobal(string name)
    {
        const int RtldNow = 0x2, RtldGlobal = 0x100; // Linux's values
        if (OperatingSystem.IsLinux() && (NativeLibrary.TryLoad("libc.so.6", out var libc) || NativeLibrary.TryLoad("libc.so", out libc))
            && NativeLibrary.TryGetExport(libc, "dlopen", out var dlopen))
        {
            var open = (delegate* unmanaged<byte*, int, nint>)dlopen;
            var bytes = System.Text.Encoding.UTF8.GetBytes(name + "\0");
            fixed (byte* p = bytes)
            {
                nint handle = open(p, RtldNow | RtldGlobal);
                if (handle != 0) return handle;
            }
            return null;
        }
        return NativeLibrary.TryLoad(name, out var h) ? h : null;
    }

    /// <summary>MPI's own text for an error code.</summary>
    internal string Describe(int code)
    {
        byte* text = stackalloc byte[MaxErrorString];
        int length = 0;
        return ErrorString(code, text, &length) == Success && length > 0
            ? System.Text.Encoding.UTF8.GetString(text, Math.Min(length, MaxErrorString)).TrimEnd('\0')
            : $"error code {code}";
    }
}
