import Foundation
import GatewayAuditCore

/// Spaces request starts so that no more than `perSecond` begin in any second, on the injected clock.
public actor RateLimiter {
    private let interval: Duration
    private let stopwatch: Stopwatch
    /// The next free slot, as time elapsed on ``stopwatch``.
    private var next: Duration = .zero

    /// Creates a limiter allowing `perSecond` request starts per second on `clock`.
    public init(perSecond: Double, clock: any Clock<Duration> = ContinuousClock()) {
        interval = .seconds(1 / max(perSecond, 0.001))
        stopwatch = Stopwatch(clock: clock)
    }

    /// Waits for the next free slot.
    /// - Throws: ``ClientError/cancelled`` when the task is cancelled while waiting.
    public func acquire() async throws(ClientError) {
        let now = stopwatch.elapsed
        let slot = max(now, next)
        next = slot + interval
        guard slot > now else { return }
        do {
            try await stopwatch.sleep(for: slot - now)
        } catch {
            throw .cancelled
        }
    }
}
