import Foundation

/// A wake-up call between threads whose timed wait is poll(2)'s relative timeout (the monotonic clock): a
/// `DispatchSemaphore` timed wait on Linux becomes an absolute wall-clock deadline, so a clock stepped back an
/// hour held the poller for an hour.
final class Wakeup: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { fds = [-1, -1] }
        for fd in fds where fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    /// Wakes the waiter (now, or at its next wait).
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Waits until `signal` or `seconds` have passed; true when woken.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        guard readEnd >= 0 else { Thread.sleep(forTimeInterval: seconds); return false }
        var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(clamping: Int((seconds * 1000).rounded(.up))))
        guard ready > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
        return true
    }
}
