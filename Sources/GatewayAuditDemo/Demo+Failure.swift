import Foundation

extension Demo {
    /// Why the demo stopped before collecting.
    public enum Failure: Error, CustomStringConvertible, Sendable, Hashable {
        /// The database path holds real collections; the demo never overwrites those.
        case wouldOverwrite(String)
        /// A PostgreSQL database that already holds runs (the demo never empties one).
        case notEmpty(String)
        /// Fewer than 1 or more than the scenario's nights.
        case nights(requested: Int, available: Int)
        /// The in-process simulator could not start.
        case simulator(String)

        /// The one-line message, saying what to do.
        public var description: String {
            switch self {
            case .wouldOverwrite(let path):
                return "\(path) holds collections from a real endpoint; the demo will not replace it: pass another --db"
            case .notEmpty(let location):
                return "\(location) already holds runs; the demo writes only into an empty PostgreSQL database: "
                    + "createdb another and pass it to --db"
            case .nights(let requested, let available):
                return "--nights \(requested) is out of range: the demo scenario has 1 to \(available) nights"
            case .simulator(let detail):
                return
                    "the demo's simulator could not start (\(detail)); check that 127.0.0.1 accepts local connections"
            }
        }
    }
}

extension Demo.Failure: LocalizedError {
    public var errorDescription: String? { description }
}
