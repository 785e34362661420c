import Foundation

extension PostgresSchema {
    /// Refuses a database that is not ours (tables but no marker) or is newer than this build, then,
    /// unless `readOnly`, applies pending migrations in one transaction.
    /// - Throws: ``StoreError``: missing (read-only and empty), foreign, newer schema, unreachable.
    static func prepare(_ session: PostgresSession, readOnly: Bool) throws(StoreError) {
        let path = session.path
        do {
            try session.withConnection { connection in
                if !readOnly {
                    try connection.execute("BEGIN")
                    try connection.execute(
                        "SELECT pg_advisory_xact_lock(?::integer, ?::integer)", [lockClass, migrationLock])
                }
                do {
                    let applied = try inspect(connection, path: path, readOnly: readOnly)
                    if !readOnly {
                        if applied == nil {
                            try connection.execute(
                                "CREATE TABLE gateway_audit_migration (identifier TEXT COLLATE \"C\" PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                            )
                        }
                        for migration in migrations where !(applied ?? []).contains(migration.identifier) {
                            // The extended protocol takes one statement at a time.
                            for statement in migration.sql.components(separatedBy: ";\n") {
                                try connection.execute(statement)
                            }
                            try connection.execute(
                                "INSERT INTO gateway_audit_migration (identifier) VALUES (?)", [migration.identifier])
                        }
                        try connection.execute("COMMIT")
                    }
                } catch {
                    if !readOnly { _ = try? connection.execute("ROLLBACK") }
                    throw error
                }
            }
        } catch {
            throw StoreError.mapped(error, path: path)
        }
    }

    /// The applied migrations, nil for an empty database.
    private static func inspect(_ connection: PGConnection, path: String, readOnly: Bool) throws -> Set<String>? {
        let marker = try connection.rows(
            """
            SELECT to_regclass('gateway_audit_migration') IS NOT NULL AS ours,
                (SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()) AS tables
            """)
        guard let row = marker.first else {
            throw StoreError.postgres(location: path, detail: "cannot read the catalog")
        }
        guard try row.cells["ours"].decode(Bool.self) else {
            if try row.int("tables") > 0 { throw StoreError.foreignDatabase(path: path) }
            if readOnly { throw StoreError.missing(path: path) }
            return nil
        }
        let applied = Set(
            try connection.rows("SELECT identifier FROM gateway_audit_migration").map { try $0.text("identifier") })
        let unknown = applied.subtracting(migrations.map(\.identifier)).sorted()
        if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
        return applied
    }
}
