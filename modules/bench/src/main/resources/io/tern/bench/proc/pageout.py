# Pages out what process PID has mapped from files under DIR: process_madvise(MADV_PAGEOUT) on each such mapping,
# which reclaims the clean page-cache pages that only this process maps (drop_caches skips every mapped page).
# Run by io.tern.bench.proc.PageCache as: python3 -c <this text> PID DIR. Needs Linux 5.10+ and root
# (CAP_SYS_NICE, ptrace access). Prints the bytes advised; on failure a reason on stderr and exit status 1.
import ctypes
import os
import sys

SYS_PIDFD_OPEN, SYS_PROCESS_MADVISE, MADV_PAGEOUT = 434, 440, 21  # the same numbers on every architecture


class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def fail(what):
    sys.stderr.write(what + ": " + os.strerror(ctypes.get_errno()) + "\n")
    sys.exit(1)


pid, root = int(sys.argv[1]), os.path.realpath(sys.argv[2]) + "/"
ranges = []
with open("/proc/%d/maps" % pid) as maps:
    for line in maps:
        fields = line.split(None, 5)
        if len(fields) == 6 and fields[5].rstrip("\n").startswith(root):
            low, high = (int(x, 16) for x in fields[0].split("-"))
            ranges.append((low, high - low))
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
pidfd = libc.syscall(SYS_PIDFD_OPEN, ctypes.c_int(pid), ctypes.c_uint(0))
if pidfd < 0:
    fail("pidfd_open")
advised = 0
for low, length in ranges:
    while length > 0:
        vec = IoVec(low, length)
        n = libc.syscall(SYS_PROCESS_MADVISE, ctypes.c_int(pidfd), ctypes.byref(vec), ctypes.c_size_t(1),
                         ctypes.c_int(MADV_PAGEOUT), ctypes.c_uint(0))
        if n <= 0:
            fail("process_madvise")
        advised, low, length = advised + n, low + n, length - n
print("%d mappings, %d bytes advised" % (len(ranges), advised))
