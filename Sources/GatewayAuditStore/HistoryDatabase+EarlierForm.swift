import Foundation
import GRDB

extension HistoryDatabase {
    /// The SQL that puts an SQLite history back in the form the release before migration `v7-compact`
    /// wrote: digests as lower-case hex text, the index of resources by kind, no `v7-compact` among the
    /// applied migrations. For the bench and the tests of the upgrade (the unit and end-to-end tests and
    /// `Tests/torture/upgrade_crash.py` run it with the sqlite3 shell); no command runs it.
    public static let beforeCompactSQL = """
        UPDATE snapshot SET chain_sha256 = lower(hex(chain_sha256)),
            content_sha256 = CASE WHEN content_sha256 IS NULL THEN NULL ELSE lower(hex(content_sha256)) END;
        UPDATE scope_move SET chain_sha256 = lower(hex(chain_sha256));
        CREATE INDEX gateway_by_kind ON gateway(kind, gateway_id);
        DELETE FROM grdb_migrations WHERE identifier = 'v7-compact';
        """

    /// Writes a compact copy of the SQLite history at `source` to the new file `target`, in the form of
    /// the release before `v7-compact` (``beforeCompactSQL``), without opening it as a history (which would
    /// upgrade it). For the bench's upgrade row.
    /// - Throws: ``StoreError``.
    public static func copyBeforeCompact(from source: String, to target: String) throws(StoreError) {
        try StoreError.mapping(path: target) {
            var config = Configuration()
            config.readonly = true
            try DatabaseQueue(path: source, configuration: config).inDatabase { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [target])
            }
            try DatabaseQueue(path: target).inDatabase { db in
                try db.execute(sql: beforeCompactSQL + "VACUUM;")
            }
        }
    }
}
