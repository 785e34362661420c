import GRDB
import GatewayAuditCore

/// A resource row's id, kind and scope, read once per report by the changes view, instead of five more
/// text cells on every one of its change rows (``HistoryQueries/forEachChangeRow(_:_:)``).
struct ResourceLabel {
    let id: GatewayID
    let kind: ResourceKind
    let scope: ScopeKey

    /// The query for the resources `count` ids name (every one when 0), one `?` per id.
    private static func sql(count: Int) -> String {
        let only = count == 0 ? "" : " WHERE gateway_id IN (\(SQLList.placeholders(count)))"
        return "SELECT id, gateway_id, kind, account, cloud, region, project_id FROM gateway" + only
    }

    /// The resources `ids` names (every one when empty) by their row ids, from a PostgreSQL history.
    /// - Throws: ``StoreError``.
    static func all(_ connection: PGConnection, ids: [GatewayID]) throws -> ResourceLabels {
        var labels: [Int64: ResourceLabel] = [:]
        for row in try connection.rows(sql(count: ids.count), ids.map(\.rawValue)) {
            labels[try row.int(at: 0)] = ResourceLabel(
                id: GatewayID(try row.text(at: 1)),
                kind: try row.stored(ResourceKind.self, at: 2, table: "gateway", column: "kind"),
                scope: try row.scope(at: 3))
        }
        return ResourceLabels(labels)
    }

    /// The same from a SQLite history.
    /// - Throws: `DatabaseError`, ``StoreError``.
    static func all(_ db: Database, ids: [GatewayID], path: String) throws -> ResourceLabels {
        var labels: [Int64: ResourceLabel] = [:]
        let rows = try Row.fetchCursor(
            db, sql: sql(count: ids.count), arguments: StatementArguments(ids.map(\.rawValue)))
        while let row = try rows.next() {
            labels[row[0]] = ResourceLabel(
                id: GatewayID(row[1]),
                kind: try row.stored(ResourceKind.self, at: 2, "kind", table: "gateway", path: path),
                scope: ScopeKey(account: row[3], cloud: row[4], region: row[5], projectID: row[6]))
        }
        return ResourceLabels(labels)
    }
}

/// The labels of a report's resources by row id. Row ids are mostly dense (1, 2, 3…), so they index an
/// array, which a million lookups notice, against a dictionary's hashing; sparse ids keep the dictionary.
struct ResourceLabels {
    private let dense: [ResourceLabel?]
    private let sparse: [Int64: ResourceLabel]

    init(_ labels: [Int64: ResourceLabel] = [:]) {
        let highest = labels.keys.max() ?? 0
        if highest < Int64(labels.count) * 2 + 1024, labels.keys.allSatisfy({ $0 >= 0 }) {
            var dense = [ResourceLabel?](repeating: nil, count: Int(highest) + 1)
            for (id, label) in labels { dense[Int(id)] = label }
            (self.dense, self.sparse) = (dense, [:])
        } else {
            (self.dense, self.sparse) = ([], labels)
        }
    }

    /// The label of the resource row `id`.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)`` for a row id no resource has.
    func label(_ id: Int64, path: String) throws -> ResourceLabel {
        let found = id >= 0 && id < dense.count ? dense[Int(id)] : sparse[id]
        guard let found else {
            throw StoreError.unknownValue(path: path, table: "snapshot", column: "gateway", value: "\(id)")
        }
        return found
    }
}
