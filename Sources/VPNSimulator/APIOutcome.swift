/// What the HTTP layer should do with a request.
public enum APIOutcome: Sendable, Hashable {
    /// Send this response, after waiting `delayMilliseconds` (0 for none).
    case respond(APIResponse, delayMilliseconds: Int)
    /// Close the connection without any response.
    case resetConnection
    /// Send this response's status and headers at once, then its body one byte every
    /// `intervalMilliseconds`.
    case trickle(APIResponse, intervalMilliseconds: Int)
}
