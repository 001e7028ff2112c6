import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchTerminal
import GatewatchUI

/// `gatewatch-bench terminal`: the bytes the real ncurses backend writes to a pseudo-terminal for the first frame,
/// for a frame identical to the previous one, and for a frame in which one row changed.
struct TerminalBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "terminal",
        abstract: "Count the bytes written to a pseudo-terminal through the ncurses backend.")

    @Option(help: "Segments of the synthetic release.") var segments = 500
    @Option(help: "Terminal size, as COLSxROWS.") var size = "200x60"
    @Option(help: "Runs of the idle and one-row frames.") var runs = 20

    func validate() throws {
        guard segments > 0, runs > 0 else { throw ValidationError("--segments and --runs must be positive") }
        guard parseSize(size) != nil else { throw ValidationError("--size must look like 200x60") }
    }

    func run() throws {
        let r = try Self.measureBytes(segments: segments, size: parseSize(size)!, runs: runs)
        print("gatewatch-bench terminal: release screen, \(segments) segments, \(size), xterm-256color pseudo-terminal, \(runs) runs")
        print(header())
        print(row("bytes: first (full) frame", r.full))
        print(row("bytes: idle frame (nothing changed)", r.idle))
        print(row("bytes: one row changed", r.oneRow))
        print("{\"benchmark\":\"terminal\",\"segments\":\(segments),\"size\":\"\(size)\",\"runs\":\(runs),"
              + "\"full_frame_bytes\":\(json(r.full)),\"idle_frame_bytes\":\(json(r.idle)),\"one_row_bytes\":\(json(r.oneRow))}")
    }

    struct Result {
        var full, idle, oneRow: (median: Double, min: Double, max: Double)
    }

    static func measureBytes(segments: Int, size: (width: Int, height: Int), runs: Int) throws -> Result {
        let (model, _) = syntheticModel(segments: segments, hours: 2)
        let context = RenderContext(width: size.width, height: size.height, glyphs: .unicode, now: 1_000)
        let frame = model.render(context)
        let pty = try PseudoTerminal()
        let backend: CursesBackend
        do {
            backend = try CursesBackend.headless(terminalType: "xterm-256color", outputPath: pty.slavePath,
                                                 width: size.width, height: size.height)
        } catch {
            throw BenchError("ncurses could not start on \(pty.slavePath): \(error)")
        }
        defer { backend.restore() }
        pty.settle()
        var before = pty.count
        backend.present(frame)
        let full = Double(pty.settle() - before)

        var idle: [Double] = [], oneRow: [Double] = []
        var current = frame
        for run in 0..<runs {
            before = pty.count
            backend.present(current)
            idle.append(Double(pty.settle(quiet: 0.02) - before))

            // One row of the segment table shows a new value.
            var changed = current
            let y = min(size.height - 3, 20)
            changed.write(String(repeating: run % 2 == 0 ? "7" : "3", count: 6), x: size.width / 2, y: y)
            before = pty.count
            backend.present(changed)
            oneRow.append(Double(pty.settle(quiet: 0.02) - before))
            current = changed
        }
        return Result(full: (full, full, full), idle: summary(idle), oneRow: summary(oneRow))
    }
}
