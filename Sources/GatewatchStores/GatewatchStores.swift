// Stores module
