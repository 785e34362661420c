import Foundation

/// A Prometheus text file read back for exact assertions: `name{label="v",…}` → value, plus the
/// HELP and TYPE lines seen.
struct MetricsText {
    var samples: [String: Double] = [:]
    var types: [String: String] = [:]
    var helps: Set<String> = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                types[String(parts[2])] = String(parts[3])
            } else if line.hasPrefix("# HELP ") {
                helps.insert(String(line.split(separator: " ")[2]))
            } else if !line.isEmpty {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                    throw CocoaError(.fileReadCorruptFile)
                }
                samples[String(line[..<space])] = value
            }
        }
    }

    /// The value of `name` with the standard scope labels plus `extra` (`status="complete"`).
    func value(
        _ name: String, account: String = "", region: String = "", project: String, kind: String = "all",
        extra: String? = nil
    ) -> Double? {
        var labels = "account=\"\(account)\",region=\"\(region)\",project_id=\"\(project)\",kind=\"\(kind)\""
        if let extra { labels += "," + extra }
        return samples["\(name){\(labels)}"]
    }

    /// The chain head label of `gateway_audit_chain_head_info`.
    var chainHead: String? {
        samples.keys.first { $0.hasPrefix("gateway_audit_chain_head_info{") }.flatMap { key in
            key.range(of: "head=\"").map { String(key[$0.upperBound...].prefix(64)) }
        }
    }
}
