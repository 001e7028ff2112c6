import Foundation
import Testing

/// The parallel fleet read and the heap. The read once ran on `DispatchQueue.concurrentPerform`: the poller's suite
/// in one process 40 times over crashed in 3 runs of 6 under glibc's malloc checking (heap chunks freed twice or
/// overwritten, found in libdispatch's worker threads), though neither sanitizer reported anything. The read now
/// runs on threads of its own (`ParallelFor`). This runs the poller's suite 100 times in a child process under
/// `glibc.malloc.check=3` and wants it to finish. Left out of the sanitizer runs: they bring their own allocator.
@Suite struct FleetReadHeapTests {
    @Test func thePollerSuiteLeavesTheHeapIntactUnderMallocChecking() throws {
        let checker = "/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0"
        try #require(FileManager.default.fileExists(atPath: checker), "glibc's malloc checker (libc6) is missing: \(checker)")
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let child = Process()
        child.executableURL = binary
        child.arguments = ["--testing-library", "swift-testing", "--filter", "PollerTests", "--repetitions", "100"]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = checker
        environment["GLIBC_TUNABLES"] = "glibc.malloc.check=3"
        child.environment = environment
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gw-heap-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        child.standardOutput = handle
        child.standardError = handle
        try child.run()
        let deadline = Date().addingTimeInterval(300)
        while child.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if child.isRunning { child.terminate() }
        child.waitUntilExit()
        try handle.close()
        let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let passed = log.components(separatedBy: "\n").filter { $0.contains("✔ Test ") && $0.contains(" passed after ") }.count
        #expect(child.terminationReason == .exit && child.terminationStatus == 0,
                "the poller's suite under malloc checking: \(child.terminationReason == .uncaughtSignal ? "signal" : "status") \(child.terminationStatus)\n\(log.suffix(3000))")
        #expect(passed >= 300, "\(passed) test runs passed of 3 tests × 100: \(log.suffix(1500))")
    }
}
