import GatewayAuditCore

/// The identities (`id_value`s, and for connections their customer gateway and VPN gateway pair) that
/// the batch's new resources share with a gone resource of the history: only those resources may
/// re-create one, so only those are looked up one by one.
struct RecreationCandidates {
    private var values: Set<String> = []
    private var pairs: Set<[String]> = []

    /// Reads the candidates of `writes` with `query`, which runs a statement with `?` placeholders and
    /// returns the named text columns of each row (both stores run the same statements).
    init(
        of writes: [SnapshotWrite],
        query: (_ sql: String, _ arguments: [String], _ columns: [String]) throws -> [[String]]
    ) throws {
        var values: [String] = []
        var customerGateways: [String] = []
        for write in writes where write.prior.latest == nil {
            guard case .present(let resource) = write.observation.result else { continue }
            if let pair = Self.pair(of: resource) {
                customerGateways.append(pair[0])
            } else if let value = resource.identityValue {
                values.append(value)
            }
        }
        // Correlated, so each row found by its identity looks its resource's open snapshot up by index: as
        // a list, the subquery read every resource's open snapshot (8 ms a night of 10,000 in the bench).
        let gone = """
            EXISTS (SELECT 1 FROM snapshot o WHERE o.gateway = s.gateway AND o.last_seen IS NULL AND o.state = 'gone')
            """
        for slice in Self.slices(values) {
            for row in try query(
                "SELECT DISTINCT s.id_value FROM snapshot s WHERE s.id_value IN (\(SQLList.placeholders(slice.count))) AND \(gone)",
                slice, ["id_value"])
            {
                self.values.insert(row[0])
            }
        }
        for slice in Self.slices(customerGateways) {
            for row in try query(
                """
                SELECT DISTINCT s.cgw_id, s.vgw_id FROM snapshot s
                WHERE s.cgw_id IN (\(SQLList.placeholders(slice.count))) AND s.vgw_id IS NOT NULL AND \(gone)
                """, slice, ["cgw_id", "vgw_id"])
            {
                pairs.insert(row)
            }
        }
    }

    /// Whether a gone resource of the history shares `resource`'s identity.
    func mayRecreate(_ resource: Resource) -> Bool {
        if let pair = Self.pair(of: resource) { return pairs.contains(pair) }
        guard let value = resource.identityValue else { return false }
        return values.contains(value)
    }

    /// A connection's customer gateway and VPN gateway, the identity a recorder matches it by.
    private static func pair(of resource: Resource) -> [String]? {
        guard resource.kind == .vpnConnection, let cgw = resource.link(to: .customerGateway),
            let vgw = resource.link(to: .vpnGateway)
        else { return nil }
        return [cgw.rawValue, vgw.rawValue]
    }

    private static func slices(_ values: [String]) -> [[String]] {
        let unique = Array(Set(values)).sorted()
        return stride(from: 0, to: unique.count, by: 500).map { Array(unique[$0..<min($0 + 500, unique.count)]) }
    }
}
