using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace RemediationWorker.Intake;

/// <summary>Which file a path holds: its (device, inode) and the SHA-256 of its first bytes (up to 4 KiB). A file
/// replaced under the same name (a new inode), or rewritten in place (other first bytes), is another file.</summary>
internal sealed record FileIdentity(ulong Device, ulong Inode, int HeadLength, string HeadHash)
{
    public const int MaxHeadLength = 4096;

    /// <summary>The identity of <paramref name="path"/> now, hashing as many first bytes as <paramref name="headLength"/>
    /// (to compare with an identity taken when the file was shorter) or, by default, up to 4 KiB.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FileIdentity Of(string path, long length, int? headLength = null)
    {
        var (device, inode) = FileStat.DeviceAndInode(path);
        var count = (int)Math.Min(headLength ?? MaxHeadLength, length);
        var head = new byte[count];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            stream.ReadExactly(head);
        }

        return new FileIdentity(device, inode, count, Convert.ToHexStringLower(SHA256.HashData(head)));
    }

    /// <summary>(device, inode) by Linux's <c>statx(2)</c>, whose <c>struct statx</c> has the same layout on every
    /// architecture (unlike <c>struct stat</c>); .NET exposes neither number. Elsewhere (0, 0): the head alone decides.</summary>
    private static class FileStat
    {
        private const int AtFdCwd = -100;
        private const uint StatxIno = 0x100;

        public static (ulong Device, ulong Inode) DeviceAndInode(string path)
        {
            if (!OperatingSystem.IsLinux())
            {
                return (0, 0);
            }

            var buffer = new byte[256]; // sizeof(struct statx)
            if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
            {
                throw new IOException($"cannot stat {path}: errno {Marshal.GetLastPInvokeError()}");
            }

            // stx_ino at offset 32; stx_dev_major and stx_dev_minor at 136 and 140 (linux/stat.h).
            var inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32));
            var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
            return BitConverter.IsLittleEndian ? (device, inode) : (0, 0);
        }

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
    }
}
