import NIOCore
import PostgresNIO

extension StoreError {
    /// Whether `error` is a unique violation or a deadlock: while a batch is recorded, the mark of another
    /// run's write of the same resources since the batch's prior states were read (``concurrentWrite(path:detail:)``).
    static func isConflict(_ error: PSQLError) -> Bool {
        guard error.code == .server else { return false }
        let state = error.serverInfo?[.sqlState]
        return state == "23505" || state == "40P01"
    }

    /// The store error for a postgres-nio error, in words that never include the password (postgres-nio's
    /// own description is deliberately generic; the server's message and the cause are what helps).
    static func map(_ error: PSQLError, location: String) -> StoreError {
        if let seconds = connectLimit(of: error) {
            return .postgres(
                location: location,
                detail: "no connection in \(seconds) s (TCP connect, TLS handshake and login); "
                    + "check that the server is up and that host and port are PostgreSQL's")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "the server refused the statement"
            switch state {
            case "28P01", "28000":
                return .postgres(
                    location: location,
                    detail: "\(message); check the password (URL, PGPASSWORD or ~/.pgpass) and the user")
            case "3D000":
                return .postgres(location: location, detail: "\(message); create it first (createdb)")
            case "57014":
                return .cancelled(path: location)
            default:
                return .postgres(location: location, detail: "\(message) (SQLSTATE \(state))")
            }
        case .sslUnsupported:
            return .postgres(location: location, detail: "the server does not offer TLS, which sslmode asks for")
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            let cause = error.underlying.map { ": \(String(describing: $0))" } ?? ""
            return .postgres(location: location, detail: "cannot reach the server\(cause)")
        case .authMechanismRequiresPassword:
            return .postgres(
                location: location, detail: "the server asks for a password; give one in PGPASSWORD or ~/.pgpass")
        case .queryCancelled:
            return .cancelled(path: location)
        default:
            let cause = error.underlying.map { ": \(String(describing: $0))" } ?? ""
            return .postgres(location: location, detail: "\(error.code)\(cause)")
        }
    }

    /// The whole seconds of the connect timeout `error` is (the connection's whole set-up ran out of time).
    private static func connectLimit(of error: PSQLError) -> Int64? {
        guard let channel = error.underlying as? ChannelError, case .connectTimeout(let limit) = channel else {
            return nil
        }
        return limit.nanoseconds / 1_000_000_000
    }
}
