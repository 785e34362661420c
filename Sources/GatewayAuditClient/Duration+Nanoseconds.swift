import GatewayAuditCore

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`, for NIO's `TimeAmount`.
    var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let limit = Int64.max / 1_000_000_000 - 1
        guard seconds < limit else { return .max }
        guard seconds > -limit else { return .min }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
