// gatewatch-bench: performance figures with numbers in the output (run it in release mode):
//   swift build -c release && .build/release/gatewatch-bench all [--short]
//   .build/release/gatewatch-bench analysis|poll|frame|terminal|live|rollback|aa [options]
// Each prints a table and one JSON line; every figure is a median over the runs with min and max.
import ArgumentParser

@main
struct GatewatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatewatch-bench",
        abstract: "Performance figures of Gatewatch (median, min and max over several runs).",
        subcommands: [AllBenchmark.self, AnalysisBenchmark.self, PollBenchmark.self, FrameBenchmark.self, ReviewBenchmark.self, TerminalBenchmark.self, LiveBenchmark.self, ScaleBenchmark.self, RollbackBenchmark.self, AABenchmark.self],
        defaultSubcommand: AnalysisBenchmark.self)
}
