/// Lists of bound parameters in SQL text, for SQLite and PostgreSQL alike (both take `?`; PostgreSQL's
/// queries are renumbered by `PGSQL.query`).
enum SQLList {
    /// `group, group, …`: `count` copies of a row's `(…)` in a `VALUES` list.
    static func groups(_ group: String, count: Int) -> String {
        Array(repeating: group, count: count).joined(separator: ", ")
    }

    /// `?, ?, ?` for `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
