import Foundation
import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore

/// Spaces request starts so that no more than `perSecond` begin in any second.
actor RateLimiter {
    private let interval: Double
    private var next: ContinuousClock.Instant

    init(perSecond: Double) {
        interval = 1 / max(perSecond, 0.001)
        next = .now
    }

    /// Waits for the next free slot.
    func acquire() async throws {
        let now = ContinuousClock.now
        let slot = max(now, next)
        next = slot.advanced(by: .seconds(interval))
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
