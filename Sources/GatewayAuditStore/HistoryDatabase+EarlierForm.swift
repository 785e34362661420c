import Foundation
import GRDB

extension HistoryDatabase {
    /// The SQL that puts an SQLite history back in the form the release before migration `v7-compact`
    /// wrote: digests as lower-case hex text, the index of resources by kind, no `v7-compact` among the
    /// applied migrations, nor the later `v9-run-kinds` (no `run.kinds`). For the bench and the tests of the upgrade (the unit and end-to-end tests and
    /// `Tests/torture/upgrade_crash.py` run it with the sqlite3 shell); no command runs it. Its runs keep the
    /// record version this build sealed them with (4, over `kinds`), which no earlier release wrote: they verify
    /// because their `kinds` were NULL (every kind), as the upgrade's new column reads, and a run of some kinds
    /// would not; the bench's and the tests' runs collect every kind.
    public static let beforeCompactSQL = """
        UPDATE snapshot SET chain_sha256 = lower(hex(chain_sha256)),
            content_sha256 = CASE WHEN content_sha256 IS NULL THEN NULL ELSE lower(hex(content_sha256)) END;
        UPDATE scope_move SET chain_sha256 = lower(hex(chain_sha256));
        CREATE INDEX gateway_by_kind ON gateway(kind, gateway_id);
        DELETE FROM grdb_migrations WHERE identifier = 'v7-compact';
        ALTER TABLE run DROP COLUMN kinds;
        DELETE FROM grdb_migrations WHERE identifier = 'v9-run-kinds';
        """

    /// The SQL that puts the snapshot contents back in the form releases before migration `v8-deflate`
    /// wrote them (JSON text), on a connection with ``StoredContent``'s functions.
    static let beforeDeflateSQL =
        expandContentsSQL
        + "DROP TABLE content_dictionary; DELETE FROM grdb_migrations WHERE identifier = 'v8-deflate';"

    /// Rewrites every compressed snapshot content of the SQLite history at `path` as its JSON text, which the
    /// store reads as it is (``StoredContent``), keeping `v8-deflate` applied: for the tests that edit contents
    /// by hand with the sqlite3 shell, as a person would edit a text content. No command runs it.
    /// - Throws: ``StoreError``.
    public static func expandContents(path: String) throws(StoreError) {
        try withContentFunctions(path: path) { db in try db.execute(sql: expandContentsSQL) }
    }

    /// Puts the SQLite history at `path` back in the form releases before migration `v8-deflate` wrote:
    /// contents as JSON text, no `content_dictionary`, no `v8-deflate` among the applied migrations
    /// (``beforeDeflateSQL``). With ``beforeCompactSQL`` after it, the form before `v7-compact` too. For the
    /// tests of the upgrade; no command runs it.
    /// - Throws: ``StoreError``.
    public static func undoDeflate(path: String) throws(StoreError) {
        try withContentFunctions(path: path) { db in try db.execute(sql: beforeDeflateSQL) }
    }

    private static func withContentFunctions(path: String, _ body: (Database) throws -> Void) throws(StoreError) {
        try StoreError.mapping(path: path) {
            var config = Configuration()
            config.prepareDatabase { db in StoredContent.register(db) }
            try DatabaseQueue(path: path, configuration: config).inDatabase(body)
        }
    }

    /// Compressed contents back to JSON text (on a connection with ``StoredContent``'s functions).
    private static let expandContentsSQL = StoredContent.rewriteSQL(
        through: "gateway_audit_content", contentsOf: "blob")

    /// Writes a compact copy of the SQLite history at `source` to the new file `target`, in the form of
    /// the release before `v7-compact` (``beforeCompactSQL``, and contents as text: ``beforeDeflateSQL``),
    /// without opening it as a history (which would upgrade it). For the bench's upgrade row, which so
    /// times both migrations.
    /// - Throws: ``StoreError``.
    public static func copyBeforeCompact(from source: String, to target: String) throws(StoreError) {
        try StoreError.mapping(path: target) {
            var config = Configuration()
            config.readonly = true
            try DatabaseQueue(path: source, configuration: config).inDatabase { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [target])
            }
            var writable = Configuration()
            writable.prepareDatabase { db in StoredContent.register(db) }
            try DatabaseQueue(path: target, configuration: writable).inDatabase { db in
                try db.execute(sql: beforeDeflateSQL + beforeCompactSQL + "VACUUM;")
            }
        }
    }
}
