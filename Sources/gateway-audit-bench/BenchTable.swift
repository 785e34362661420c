import Foundation
import GatewayAudit

/// One measured figure beside its reference from the same run.
struct BenchRow {
    let stage: String
    let figure: String
    let reference: String
    let ratio: Double?
    let target: String
    let met: Bool?
    /// A target that must hold exactly, with no noise to allow for (the upgraded year verifies): `--check`
    /// fails when it is not met.
    var mustHold = false

    /// The ratio's limit, for rows whose target bounds the ratio (`≤ 2×`, `≥ 0.9`): whether the ratio
    /// must stay at most (`≤`) or at least (`≥`) the number.
    var ratioLimit: (atMost: Bool, limit: Double)? {
        guard ratio != nil else { return nil }
        let parts = target.split(separator: " ")
        guard parts.count == 2, parts[0] == "≤" || parts[0] == "≥",
            let limit = Double(parts[1].hasSuffix("×") ? parts[1].dropLast() : parts[1])
        else { return nil }
        return (parts[0] == "≤", limit)
    }

    /// True when the ratio is more than `tolerance` times worse than its target (above `limit × tolerance`
    /// for a `≤` target, below `limit ÷ tolerance` for a `≥` one): the `--check` failure, which leaves
    /// room for the noise of a shared machine.
    func isFarOff(tolerance: Double) -> Bool {
        guard let ratio, let (atMost, limit) = ratioLimit else { return false }
        return atMost ? ratio > limit * tolerance : ratio < limit / tolerance
    }
}

/// Collects rows and prints them as a table.
struct BenchTable {
    private(set) var rows: [BenchRow] = []

    mutating func add(_ row: BenchRow) {
        rows.append(row)
        FileHandle.standardError.write(Data("  \(row.stage): \(row.figure) vs \(row.reference)\n".utf8))
    }

    var text: String {
        let header = ["stage", "measured", "reference (same run)", "ratio", "target", "met"]
        let body = rows.map { row in
            [
                row.stage, row.figure, row.reference, row.ratio.map { String(format: "%.2f", $0) } ?? "-", row.target,
                row.met.map { $0 ? "yes" : "NO" } ?? "-",
            ]
        }
        return TextTable(header: header, rows: body).lines.joined(separator: "\n")
    }
}

func formatBytes(_ bytes: Int64) -> String {
    if bytes >= 1 << 30 { return String(format: "%.2f GiB", Double(bytes) / Double(1 << 30)) }
    if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
    if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
    return "\(bytes) B"
}
