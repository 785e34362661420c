import Foundation
import GRDB
import GatewayAuditCore

extension HistoryDatabase {
    /// The schema, one migration per shipped change. Append new migrations; never edit a shipped one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run (
                        id INTEGER PRIMARY KEY,
                        started_at INTEGER NOT NULL,
                        finished_at INTEGER,
                        status TEXT NOT NULL DEFAULT 'running'
                            CHECK (status IN ('running', 'complete', 'partial', 'failed', 'aborted')),
                        endpoint TEXT NOT NULL DEFAULT '',
                        project_id TEXT NOT NULL DEFAULT '',
                        tool_version TEXT NOT NULL,
                        scope TEXT NOT NULL DEFAULT 'all',
                        observed INTEGER NOT NULL DEFAULT 0,
                        unchanged INTEGER NOT NULL DEFAULT 0,
                        changed INTEGER NOT NULL DEFAULT 0,
                        new INTEGER NOT NULL DEFAULT 0,
                        gone INTEGER NOT NULL DEFAULT 0,
                        failed INTEGER NOT NULL DEFAULT 0,
                        message TEXT
                    );
                    CREATE TABLE gateway (
                        id INTEGER PRIMARY KEY,
                        gateway_id TEXT NOT NULL UNIQUE,
                        -- The last observation that saw the gateway's current (open) snapshot. Kept here, in a
                        -- narrow row, so an unchanged night rewrites a few bytes instead of a whole snapshot.
                        last_run INTEGER REFERENCES run(id),
                        last_seen INTEGER
                    );
                    CREATE TABLE snapshot (
                        id INTEGER PRIMARY KEY,
                        gateway INTEGER NOT NULL REFERENCES gateway(id),
                        seq INTEGER NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('present', 'gone')),
                        first_run INTEGER NOT NULL REFERENCES run(id),
                        first_seen INTEGER NOT NULL,
                        -- NULL while the snapshot is the gateway's current state (see gateway.last_seen);
                        -- set when a newer snapshot supersedes it.
                        last_run INTEGER REFERENCES run(id),
                        last_seen INTEGER,
                        content TEXT,
                        content_sha256 TEXT,
                        id_value TEXT,
                        created_at_raw TEXT,
                        created_at_utc INTEGER,
                        created_at_offset INTEGER,
                        updated_at_raw TEXT,
                        updated_at_utc INTEGER,
                        updated_at_offset INTEGER,
                        chain_sha256 TEXT NOT NULL,
                        UNIQUE (gateway, seq)
                    );
                    CREATE INDEX snapshot_by_id_value ON snapshot(id_value) WHERE id_value IS NOT NULL;
                    CREATE UNIQUE INDEX snapshot_open ON snapshot(gateway) WHERE last_seen IS NULL;
                    CREATE TABLE failed_observation (
                        run INTEGER NOT NULL REFERENCES run(id),
                        gateway INTEGER NOT NULL REFERENCES gateway(id),
                        observed_at INTEGER NOT NULL,
                        error TEXT NOT NULL,
                        PRIMARY KEY (gateway, run)
                    ) WITHOUT ROWID;
                    CREATE TABLE change (
                        snapshot INTEGER NOT NULL REFERENCES snapshot(id),
                        ordinal INTEGER NOT NULL,
                        change TEXT NOT NULL
                            CHECK (change IN ('added', 'modified', 'removed', 'first-seen', 'gone', 'reappeared')),
                        field TEXT NOT NULL DEFAULT '',
                        old_value TEXT,
                        new_value TEXT,
                        PRIMARY KEY (snapshot, ordinal)
                    ) WITHOUT ROWID;
                    CREATE TABLE anomaly (
                        snapshot INTEGER NOT NULL REFERENCES snapshot(id),
                        field TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        PRIMARY KEY (snapshot, field, kind)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-run-records") { db in
            // Each finished run records the history's chain head and a hash chained over run records,
            // so `verify` can prove runs and snapshots were not edited or removed afterwards.
            try db.execute(
                sql: """
                    ALTER TABLE run ADD COLUMN chain_head TEXT;
                    ALTER TABLE run ADD COLUMN record_sha256 TEXT;
                    """)
        }
        migrator.registerMigration("v3-run-record-version") { db in
            // Run records sealed from now on hash an explicit, versioned field encoding; earlier ones
            // keep version 1 (see RunRecordChain).
            try db.execute(sql: "ALTER TABLE run ADD COLUMN record_version INTEGER NOT NULL DEFAULT 1")
        }
        migrator.registerMigration("v4-resource-kinds") { db in
            // Three kinds of resource share one history. Configuration is snapshotted; operational
            // members (status, BGP counters…) keep their latest values on the resource row, and the
            // status keeps its own windows. A connection's links are columns for the link queries.
            // The open status window has no last_run/last_seen of its own: like the open snapshot, it
            // ends where the resource row's last_run/last_seen is, so an unchanged night writes one row
            // per resource, not two; it is closed when the status changes or the resource goes. The resource
            // row keeps the latest status too (the last window's): a night compares without the windows.
            try db.execute(
                sql: """
                    ALTER TABLE gateway ADD COLUMN kind TEXT NOT NULL DEFAULT 'customer-gateway'
                        CHECK (kind IN ('customer-gateway', 'vpn-gateway', 'vpn-connection'));
                    ALTER TABLE gateway ADD COLUMN operational TEXT;
                    ALTER TABLE gateway ADD COLUMN status TEXT;
                    CREATE INDEX gateway_by_kind ON gateway(kind, gateway_id);
                    ALTER TABLE snapshot ADD COLUMN cgw_id TEXT;
                    ALTER TABLE snapshot ADD COLUMN vgw_id TEXT;
                    CREATE INDEX snapshot_by_cgw ON snapshot(cgw_id) WHERE cgw_id IS NOT NULL;
                    CREATE INDEX snapshot_by_vgw ON snapshot(vgw_id) WHERE vgw_id IS NOT NULL;
                    CREATE TABLE status_window (
                        gateway INTEGER NOT NULL REFERENCES gateway(id),
                        seq INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        first_run INTEGER NOT NULL REFERENCES run(id),
                        first_seen INTEGER NOT NULL,
                        last_run INTEGER REFERENCES run(id),
                        last_seen INTEGER,
                        PRIMARY KEY (gateway, seq)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v5-scopes", migrate: HistoryDatabase.migrateToScopes)
        migrator.registerMigration("v6-scope-moves") { db in
            // A resource leaving a scope for another (a run of the other scope observed it): the scope it
            // left, that scope's last sealed run then (0 for none), whose chain head counts it, and the link
            // it had. One row per resource, scope and sealed run: leaving again before the scope seals anew
            // adds nothing to that head. `sealed_run` has no foreign key: with overlapping runs it can name
            // a run of a higher id than `run`, which a copy writes later.
            try db.execute(
                sql: """
                    CREATE TABLE scope_move (
                        gateway INTEGER NOT NULL REFERENCES gateway(id),
                        run INTEGER NOT NULL REFERENCES run(id),
                        account TEXT NOT NULL,
                        cloud TEXT NOT NULL,
                        region TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        sealed_run INTEGER NOT NULL,
                        chain_sha256 TEXT NOT NULL,
                        PRIMARY KEY (gateway, account, cloud, region, project_id, sealed_run)
                    ) WITHOUT ROWID;
                    CREATE INDEX scope_move_by_scope ON scope_move(account, cloud, region, project_id, sealed_run);
                    CREATE INDEX scope_move_by_run ON scope_move(run);
                    """)
        }
        migrator.registerMigration("v7-compact", foreignKeyChecks: .immediate) { db in
            // Smaller rows, the same history (README, "Performance", peer size). SHA-256 values become their
            // 32 bytes (``StoredDigest``): 64 bytes less per snapshot. The index of resources by kind goes: it
            // held each resource id a third time (about 70 bytes a resource, a twentieth of a small history).
            // Reports filtered by kind still find the kind's rows: the history, timestamps and status views
            // read the resource rows in id order and skip the others; the changes view reads every change and
            // drops the other kinds' (33 → 41 ms for a kind of 8 % of 12,000 resources and 324,000 changes).
            // The rows keep their pages until a VACUUM; a new database is smaller from its first run.
            // Immediate key checks: the migration touches no key, and a deferred check would scan every table.
            // It converts with the Swift function below, as this release defines it (SQLite 3.40 has no
            // `unhex`): ``StoredDigest/value(hex:)`` must keep converting 64 lower-case hex digits, and only those.
            // Runs of an earlier release still going must not read the rewritten values as text: opening
            // waits for them first (``HistoryDatabase/awaitEarlierRuns(path:writer:budget:)``).
            db.add(function: StoredDigest.function)
            defer { db.remove(function: StoredDigest.function) }
            try db.execute(
                sql: """
                    DROP INDEX IF EXISTS gateway_by_kind;
                    UPDATE snapshot SET content_sha256 = gateway_audit_digest(content_sha256),
                        chain_sha256 = gateway_audit_digest(chain_sha256);
                    UPDATE scope_move SET chain_sha256 = gateway_audit_digest(chain_sha256);
                    """)
        }
        migrator.registerMigration("v8-deflate", foreignKeyChecks: .immediate) { db in
            // Snapshot content as DEFLATE with a preset dictionary per kind (``StoredContent``): about 50 bytes
            // instead of 252 for the bench's customer gateways, and the file smaller than git-history's with
            // observations and deletions kept (README, "Performance", peer size). Hashes and chains are over the
            // JSON, which reads back exactly, so every link and sealed head still verifies. The dictionaries go
            // in the file too, for readers without this code (one page). A text content edited into a later
            // file is read as it is; the migration compresses only texts. Immediate key checks, as v7's.
            try db.execute(
                sql: """
                    CREATE TABLE content_dictionary (
                        format INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        dictionary BLOB NOT NULL,
                        PRIMARY KEY (format, kind)
                    ) WITHOUT ROWID
                    """)
            for row in StoredContent.dictionaryRows {
                try db.execute(
                    sql: "INSERT INTO content_dictionary (format, kind, dictionary) VALUES (?, ?, ?)",
                    arguments: [row.format, row.kind, Data(row.bytes)])
            }
            let deflate = StoredContent.migrationFunction(ContentDeflater())
            db.add(function: deflate)
            defer { db.remove(function: deflate) }
            try db.execute(sql: StoredContent.rewriteSQL(through: "gateway_audit_deflate", contentsOf: "text"))
        }
        migrator.registerMigration("v9-run-kinds", foreignKeyChecks: .immediate) { db in
            // The kinds a run collected when it collected only some (`--kind`; NULL: every kind), so that the
            // metrics of a run of one kind and those of the nightly run of all kinds each report their own last
            // success and resources (README, "Monitoring"). Earlier runs collected every kind they recorded.
            try db.execute(sql: "ALTER TABLE run ADD COLUMN kinds TEXT")
        }
        return migrator
    }()
}
