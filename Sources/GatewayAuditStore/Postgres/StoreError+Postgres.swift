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
}
