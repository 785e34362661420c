/// A misbehaviour the simulator can inject instead of (or on top of) a normal answer.
public enum FaultKind: Sendable, Hashable, Codable {
    /// `429` with `Retry-After` and a throttling body (`VPN.0429`, or `APIG.0308` at the gateway layer).
    case throttle(retryAfterSeconds: Int, code: String)
    /// A server error (`500 VPN.0002`, `503 VPN.0014`, ...).
    case serverError(status: Int, code: String)
    /// `403 VPN.0003` (not authorised): the IAM user lacks the permission for this route, e.g. one kind's
    /// listing (`{"kind": {"forbidden": {}}, "routes": ["listConnections"]}`).
    case forbidden
    /// `425 VPN.0009` (too early / deleting).
    case tooEarly
    /// The normal answer, sent after a delay.
    case latency(milliseconds: Int)
    /// The normal status and headers, but only the first half of the JSON body (a complete HTTP message).
    case truncatedBody
    /// The normal status and headers with a body that is not valid JSON (its last `}` becomes `]`).
    case malformedBody
    /// The connection is closed without any response.
    case connectionReset
    /// The normal status and headers at once, then the body one byte every `intervalMilliseconds`: a
    /// server or proxy that never goes quiet long enough for an idle read timer, yet never finishes.
    case tricklingBody(intervalMilliseconds: Int)
    /// A list answer without the first `count` items of its list, though `total_count` still counts them
    /// (a list served from a lagging replica): `page_info.current_count` says how many were sent,
    /// `next_marker` stays. A client that trusts the list alone misses them; one that checks `total_count`
    /// knows it did. Any other answer is sent unchanged.
    case omittedListItems(count: Int)
}
