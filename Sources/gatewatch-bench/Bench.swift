// gatewatch-bench: performance figures with numbers in the output (run it in release mode):
//   swift run -c release gatewatch-bench analysis [--segments N] [--hours H] [--runs R]
//   swift run -c release gatewatch-bench rollback [--runs R]
// Each prints a table and one JSON line; every figure is a median over the runs with min and max.
import ArgumentParser

@main
struct GatewatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatewatch-bench",
        abstract: "Performance figures of Gatewatch (median, min and max over several runs).",
        subcommands: [AnalysisBenchmark.self, PollBenchmark.self, FrameBenchmark.self, TerminalBenchmark.self, RollbackBenchmark.self],
        defaultSubcommand: AnalysisBenchmark.self)
}
