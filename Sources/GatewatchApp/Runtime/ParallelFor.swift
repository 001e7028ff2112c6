import Foundation
import NIOConcurrencyHelpers

/// Runs `body` for every index of `0..<count` on up to `width` threads and returns when all are done; the calling
/// thread is one of them. Each thread takes the next index from a lock, so a slow source holds up only its own thread.
///
/// Not `DispatchQueue.concurrentPerform`: called from the poller's Foundation thread with iterations that block on
/// I/O, the fleet read corrupted the heap under glibc's malloc checking (crashes in libdispatch's per-thread cache
/// cleanup at thread exit, see docs/RELIABILITY.md); plain threads did not.
enum ParallelFor {
    static func run(_ count: Int, width: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let threads = max(1, min(width, count))
        let next = NIOLockedValueBox(0)
        let work: @Sendable () -> Void = {
            while true {
                let i = next.withLockedValue { n in defer { n += 1 }; return n }
                guard i < count else { return }
                body(i)
            }
        }
        guard threads > 1 else { return work() }
        // How many helper threads are done; counted inside the condition lock (whose value cannot be read while it
        // is held), so the last one to finish sets the highest count.
        let finished = ConditionLock(value: 0), done = NIOLockedValueBox(0)
        for _ in 1..<threads {
            let thread = Thread {
                work()
                finished.lock()
                finished.unlock(withValue: done.withLockedValue { n in n += 1; return n })
            }
            thread.name = "gatewatch-read"
            thread.start()
        }
        work()
        finished.lock(whenValue: threads - 1)
        finished.unlock()
    }
}
