import Foundation
import GatewatchScenario

/// A fleet (`sample-data/<name>/fleet.yaml`) as `ScenarioLoader.loadAll` reads it, members and all: each input is
/// written as the fleet.yaml of a folder `fuzz` beside links to the sample scenarios, then loaded.
enum FleetFuzz {
    /// A sample-data root of the run's own (in the temporary directory, removed when the run exits): links to every
    /// folder of sample-data/, and the folder `fuzz` for the input.
    static let root: String = {
        let root = NSTemporaryDirectory() + "gatewatch-fuzz-fleet-\(getpid())"
        // Tests/Fuzz/Harness/FleetFuzz.swift → <package>/sample-data
        let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-data").path
        let files = FileManager.default
        try? files.createDirectory(atPath: root + "/fuzz", withIntermediateDirectories: true)
        for name in (try? files.contentsOfDirectory(atPath: sampleData)) ?? [] where name != "fuzz" {
            try? files.createSymbolicLink(atPath: root + "/" + name, withDestinationPath: sampleData + "/" + name)
        }
        atexit { try? FileManager.default.removeItem(atPath: FleetFuzz.root) }
        return root
    }()

    static func run(_ data: Data) {
        do {
            try data.write(to: URL(fileURLWithPath: root + "/fuzz/fleet.yaml"))
        } catch {
            propertyFailed("cannot write \(root)/fuzz/fleet.yaml: \(error)")
        }
        guard let members = try? ScenarioLoader.loadAll("fuzz", root: root) else { return }
        _ = members.map { ($0.clockKey, $0.simulation.start, $0.opensAt) }
    }
}
