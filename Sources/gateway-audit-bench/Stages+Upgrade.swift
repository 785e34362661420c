import Foundation
import GatewayAudit

extension Stages {
    /// The year's database as the release before migration `v7-compact` wrote it (contents as JSON text,
    /// digests as hex text, the index of resources by kind), upgraded in place by opening it with this build:
    /// the migrations' time on the largest history the bench makes (the whole open: its damage scan, `PRAGMA
    /// quick_check`, and `v7-compact`'s and `v8-deflate`'s transactions), and whether the upgraded history
    /// still verifies.
    func upgrade(year: Year, into table: inout BenchTable) throws {
        let old = path("year-v6.sqlite")
        for file in [old, old + "-wal", old + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.removeItem(atPath: file)
        }
        try HistoryDatabase.copyBeforeCompact(from: year.path, to: old)
        let before = try fileSize(old)
        var upgraded: HistoryDatabase?
        let seconds = try measure { upgraded = try HistoryDatabase.open(path: old) }
        guard let upgraded else { return }
        try upgraded.checkpoint()
        let after = try upgraded.fileSize()
        let verification = try HistoryVerifier(upgraded).verify()
        let fresh = try fileSize(year.path) + fileSize(year.path + "-wal")
        table.add(
            BenchRow(
                stage: "storage: opening the year's database of the release before v7-compact and v8-deflate (upgrade)",
                figure: String(format: "%.2f s", seconds),
                reference:
                    "\(verification.snapshots) snapshots; \(formatBytes(before)) → \(formatBytes(after)) (written new: "
                    + "\(formatBytes(fresh))); " + (verification.isIntact ? "verifies" : "DOES NOT VERIFY"),
                ratio: nil, target: "verifies", met: verification.isIntact, mustHold: true))
    }
}
