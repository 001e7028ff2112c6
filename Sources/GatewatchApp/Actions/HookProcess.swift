import Foundation

/// One run of a hook command: `/bin/sh -c COMMAND` in a process group of its own, with `input` on stdin, under one
/// deadline that counts from the start (writing stdin included), after which the whole group is killed.
///
/// Written on posix_spawn and poll(2) rather than on Foundation's `Process` (which cannot start a child in its own
/// process group, so a hook's children outlive a kill) or swift-subprocess (async only; hooks run from synchronous
/// action code on a worker thread, and one deadline must cover start, stdin, stderr and exit).
struct HookProcess {
    /// What happened: exit status (nil when killed at the deadline), the first bytes of stderr and how many there were.
    struct Result {
        var status: Int32?
        var timedOut: Bool
        var stderr: Data
        var stderrBytes: Int
    }

    /// Why the hook could not be started (strerror text).
    struct SpawnError: Error, CustomStringConvertible {
        var code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    /// Bytes of stderr kept; the rest is counted and dropped.
    static let stderrLimit = 4096

    /// Runs `command`; throws only when it cannot be started.
    static func run(_ command: String, input: Data, timeout: TimeInterval) throws -> Result {
        var inPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0 else { throw SpawnError(code: errno) }
        guard pipe(&errPipe) == 0 else { close(inPipe[0]); close(inPipe[1]); throw SpawnError(code: errno) }
        // Our ends must not leak into the child (nor into other children started meanwhile).
        for fd in [inPipe[1], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, inPipe[0])
        posix_spawn_file_actions_addclose(&actions, errPipe[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A group of its own (pgid = its pid), so the deadline kills everything the hook started.
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for arg in argv { free(arg) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        close(inPipe[0]); close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1]); close(errPipe[0])
            throw SpawnError(code: spawned)
        }
        _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(errPipe[0], F_SETFL, fcntl(errPipe[0], F_GETFL) | O_NONBLOCK)

        let deadline = SteadyClock.now() + timeout // monotonic: a clock step neither ends nor stretches the limit
        var writeFD: Int32 = input.isEmpty ? -1 : inPipe[1], readFD: Int32 = errPipe[0]
        if writeFD < 0 { close(inPipe[1]) }
        var written = 0
        var stderr = Data(), stderrBytes = 0
        var status: Int32? = nil
        var buffer = [UInt8](repeating: 0, count: 4096)
        func finishWriting() { if writeFD >= 0 { close(writeFD); writeFD = -1 } }
        while true {
            // Exited? (Its children may still hold stderr open; the hook's own exit is what counts.)
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid { status = Self.exitStatus(raw); break }
            let left = deadline - SteadyClock.now()
            if left <= 0 { break }
            var fds: [pollfd] = []
            if writeFD >= 0 { fds.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            if readFD >= 0 { fds.append(pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)) }
            // Wake at least every 20 ms to look for the exit (a hook may exit with its pipes still held by a child).
            _ = poll(&fds, nfds_t(fds.count), Int32(min(20, max(1, left * 1000))))
            if writeFD >= 0 {
                let n = input.withUnsafeBytes { bytes in
                    Glibc.write(writeFD, bytes.baseAddress! + written, bytes.count - written)
                }
                if n > 0 { written += n; if written == input.count { finishWriting() } }
                else if n < 0 && errno != EAGAIN && errno != EINTR { finishWriting() } // EPIPE: it stopped reading
            }
            if readFD >= 0 {
                let n = read(readFD, &buffer, buffer.count)
                if n > 0 {
                    stderrBytes += n
                    let room = Self.stderrLimit - stderr.count
                    if room > 0 { stderr.append(contentsOf: buffer[0..<min(n, room)]) }
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(readFD); readFD = -1
                }
            }
        }
        finishWriting()
        let timedOut = status == nil
        if timedOut {
            kill(-pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        }
        // Whatever is already in the pipe (without waiting for children that hold it open; at most 1 MB, as a child
        // may go on writing).
        if readFD >= 0 {
            for _ in 0..<256 {
                let n = read(readFD, &buffer, buffer.count)
                guard n > 0 else { break }
                stderrBytes += n
                let room = Self.stderrLimit - stderr.count
                if room > 0 { stderr.append(contentsOf: buffer[0..<min(n, room)]) }
            }
            close(readFD)
        }
        return Result(status: status, timedOut: timedOut, stderr: stderr, stderrBytes: stderrBytes)
    }

    /// The exit status, or 128 + the signal that ended it (as a shell reports it).
    static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}
