extension Duration {
    /// The duration in seconds, as POSIX, GRDB and report figures take it.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
