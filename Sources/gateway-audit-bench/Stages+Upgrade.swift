import Foundation
import GRDB
import GatewayAudit

extension Stages {
    /// The year's database as the release before migration `v7-compact` wrote it (digests as hex text, the
    /// index of resources by kind), upgraded in place by opening it with this build: the migration's time on
    /// the largest history the bench makes (the whole open: its damage scan, `PRAGMA quick_check`, and the
    /// migration's transaction), and whether the upgraded history still verifies.
    func upgrade(year: Year, into table: inout BenchTable) throws {
        let old = path("year-v6.sqlite")
        for file in [old, old + "-wal", old + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.removeItem(atPath: file)
        }
        var config = Configuration()
        config.readonly = true
        try DatabaseQueue(path: year.path, configuration: config).inDatabase { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [old])
        }
        try DatabaseQueue(path: old).inDatabase { db in
            try db.execute(
                sql: """
                    UPDATE snapshot SET chain_sha256 = lower(hex(chain_sha256)),
                        content_sha256 = CASE WHEN content_sha256 IS NULL THEN NULL ELSE lower(hex(content_sha256)) END;
                    UPDATE scope_move SET chain_sha256 = lower(hex(chain_sha256));
                    CREATE INDEX gateway_by_kind ON gateway(kind, gateway_id);
                    DELETE FROM grdb_migrations WHERE identifier = 'v7-compact';
                    VACUUM;
                    """)
        }
        let before = try fileSize(old)
        let snapshots = try DatabaseQueue(path: old, configuration: config).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshot") ?? 0
        }
        var upgraded: HistoryDatabase?
        let seconds = try measure { upgraded = try HistoryDatabase.open(path: old) }
        guard let upgraded else { return }
        try upgraded.checkpoint()
        let after = try upgraded.fileSize()
        let verification = try HistoryVerifier(upgraded).verify()
        let fresh = try fileSize(year.path) + fileSize(year.path + "-wal")
        table.add(
            BenchRow(
                stage: "storage: opening the year's database of the release before v7-compact (upgrade)",
                figure: String(format: "%.2f s", seconds),
                reference: "\(snapshots) snapshots; \(formatBytes(before)) → \(formatBytes(after)) (written new: "
                    + "\(formatBytes(fresh))); " + (verification.isIntact ? "verifies" : "DOES NOT VERIFY"),
                ratio: nil, target: "verifies", met: verification.isIntact))
    }
}
