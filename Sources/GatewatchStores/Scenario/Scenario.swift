import GatewatchCore

/// A sample-data scenario: a release spec plus the simulation that brings it to life.
public struct Scenario: Sendable {
    public var name: String
    /// Folder the scenario was read from.
    public var directory: String
    public var release: Release
    public var simulation: SimulationModel

    public init(name: String, directory: String, release: Release, simulation: SimulationModel) {
        self.name = name
        self.directory = directory
        self.release = release
        self.simulation = simulation
    }
}
