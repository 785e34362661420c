import GRDB
import GatewayAuditCore

extension HistoryDatabase {
    /// `v5-scopes`: every run and every gateway records the scope (account, cloud, region, project) it
    /// belongs to. History from before scopes belongs to the scope its runs recorded: cloud and region as
    /// the run's endpoint names them, no account; a gateway to the scope of the last run that observed it.
    static func migrateToScopes(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE run ADD COLUMN cloud TEXT NOT NULL DEFAULT '';
                ALTER TABLE run ADD COLUMN region TEXT NOT NULL DEFAULT '';
                ALTER TABLE run ADD COLUMN account TEXT NOT NULL DEFAULT '';
                ALTER TABLE gateway ADD COLUMN cloud TEXT NOT NULL DEFAULT '';
                ALTER TABLE gateway ADD COLUMN region TEXT NOT NULL DEFAULT '';
                ALTER TABLE gateway ADD COLUMN project_id TEXT NOT NULL DEFAULT '';
                ALTER TABLE gateway ADD COLUMN account TEXT NOT NULL DEFAULT '';
                CREATE INDEX run_by_scope ON run(account, cloud, region, project_id, id);
                CREATE INDEX gateway_by_scope ON gateway(account, cloud, region, project_id);
                """)
        for endpoint in try String.fetchAll(db, sql: "SELECT DISTINCT endpoint FROM run") {
            guard let found = Cloud.recognise(endpoint: endpoint) else { continue }
            try db.execute(
                sql: "UPDATE run SET cloud = ?, region = ? WHERE endpoint = ?",
                arguments: [found.cloud.rawValue, found.region, endpoint])
        }
        try db.execute(
            sql: """
                UPDATE gateway SET (account, cloud, region, project_id) = (
                    SELECT r.account, r.cloud, r.region, r.project_id FROM run r
                    WHERE r.id = COALESCE(
                        gateway.last_run,
                        (SELECT MAX(s.first_run) FROM snapshot s WHERE s.gateway = gateway.id),
                        (SELECT MAX(f.run) FROM failed_observation f WHERE f.gateway = gateway.id)))
                WHERE EXISTS (SELECT 1 FROM run r WHERE r.id = COALESCE(
                    gateway.last_run,
                    (SELECT MAX(s.first_run) FROM snapshot s WHERE s.gateway = gateway.id),
                    (SELECT MAX(f.run) FROM failed_observation f WHERE f.gateway = gateway.id)))
                """)
    }
}

extension ScopeKey {
    /// `account = ? AND cloud = ? AND region = ? AND project_id = ?` on the table aliased `alias`
    /// (empty for none), with its arguments.
    func sqlCondition(_ alias: String = "") -> (String, StatementArguments) {
        let prefix = alias.isEmpty ? "" : alias + "."
        return (
            "\(prefix)account = ? AND \(prefix)cloud = ? AND \(prefix)region = ? AND \(prefix)project_id = ?",
            [account, cloud, region, projectID]
        )
    }

    /// The scope a `run` or `gateway` row records.
    init(row: Row) {
        self.init(account: row["account"], cloud: row["cloud"], region: row["region"], projectID: row["project_id"])
    }
}
