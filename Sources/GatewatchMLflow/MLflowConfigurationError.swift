/// A problem in the `registry: {kind: mlflow, …}` section of the config, or in the environment variables it names,
/// worded for the user who wrote it.
public struct MLflowConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// One sentence naming the key or variable and what to do.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "registry (mlflow): \(message)" }
}
