import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal whose output side is drained by a background thread that counts (and keeps) every byte written
/// to the terminal, so a benchmark can measure what a real terminal would receive.
final class PseudoTerminal: Sendable {
    let master: Int32
    /// The terminal device (e.g. /dev/pts/3) for the program under measurement.
    let slavePath: String
    /// Every byte the terminal received, appended by the draining thread.
    private let received = NIOLockedValueBox(Data())

    // Glibc declares grantpt/unlockpt/ptsname only under _XOPEN_SOURCE, which Swift's Glibc module does not set;
    // they are looked up at run time instead (plain C functions of libc).
    private typealias IntCall = @convention(c) (Int32) -> Int32
    private typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    private static func libc<T>(_ name: String, as type: T.Type) -> T? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    init() throws {
        guard let grantpt = Self.libc("grantpt", as: IntCall.self), let unlockpt = Self.libc("unlockpt", as: IntCall.self),
              let ptsname = Self.libc("ptsname", as: NameCall.self) else { throw BenchError("libc has no pseudo-terminal functions") }
        let fd = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard fd >= 0, grantpt(fd) == 0, unlockpt(fd) == 0, let name = ptsname(fd) else {
            throw BenchError("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        master = fd
        slavePath = String(cString: name)
        let thread = Thread { [unowned self] in self.drain() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                break
            }
            received.withLockedValue { $0.append(buffer, count: n) }
        }
    }

    /// Bytes received so far.
    var count: Int { received.withLockedValue { $0.count } }

    /// Everything received so far.
    var bytes: Data { received.withLockedValue { $0 } }

    /// Waits until no byte has arrived for `quiet` seconds (or `limit` seconds passed); returns the byte count.
    @discardableResult
    func settle(quiet: TimeInterval = 0.05, limit: TimeInterval = 5) -> Int {
        let deadline = Date().addingTimeInterval(limit)
        var last = count, lastChange = Date()
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
            let now = count
            if now != last { last = now; lastChange = Date() } else if Date().timeIntervalSince(lastChange) >= quiet { break }
        }
        return last
    }

    /// Waits until the received bytes contain `marker`; returns false after `limit` seconds.
    func wait(for marker: String, limit: TimeInterval) -> Bool {
        let needle = Data(marker.utf8)
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if bytes.range(of: needle) != nil { return true }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return false
    }

    /// Types `text` as if on the keyboard.
    func type(_ text: String) {
        let data = Array(text.utf8)
        _ = data.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    deinit { close(master) }
}

/// A benchmark that could not run, with the reason.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
