import GatewayAuditCore
import GatewayAuditStore

/// The SVG timeline of one gateway as template data: bands for states, marks for changes and failures.
struct Timeline {
    /// A snapshot's period: `b0`/`b1` alternating, or `bg` when gone.
    struct Band {
        let cls: String
        let x: Double
        let width: Double
        let label: String
    }

    /// A change (`mc`) or a failed observation (`mf`) at one instant.
    struct Mark {
        let cls: String
        let x: Double
        let label: String
    }

    let bands: [Band]
    let marks: [Mark]

    init(range: (Instant, Instant), section: GatewaySection, cells: ReportCells) {
        let span = max(range.1.seconds(since: range.0), 1)
        func x(_ instant: Instant) -> Double {
            let position = instant.seconds(since: range.0) / span * 997
            return (min(max(position, 0), 997) * 10).rounded() / 10
        }
        var bands: [Band] = []
        var presentIndex = 0
        for row in section.history {
            let start = x(row.firstSeen)
            let width = max(x(row.lastSeen) - start, 3)
            let cls: String
            if row.state == .gone {
                cls = "bg"
            } else {
                cls = "b\(presentIndex % 2)"
                presentIndex += 1
            }
            let label =
                "\(row.state.rawValue) \(cells.time(row.firstSeen)) – \(cells.time(row.lastSeen))"
            bands.append(Band(cls: cls, x: start, width: (width * 10).rounded() / 10, label: label))
        }
        var marks: [Mark] = []
        var seen = Set<Int64>()
        for change in section.changes where seen.insert(change.seq).inserted && change.change != .firstSeen {
            let rows = section.changes.filter { $0.seq == change.seq }
            let what = rows.map { row in
                row.field.isEmpty
                    ? row.change.rawValue
                    : "\(row.field) \(row.change.rawValue): \(Timeline.short(row.oldValue)) → \(Timeline.short(row.newValue))"
            }.joined(separator: "; ")
            let before = change.lastSeenBefore.map(cells.time) ?? "?"
            marks.append(
                Mark(
                    cls: "mc", x: Timeline.markX(x(change.firstSeenAfter)),
                    label: HTMLRenderer.printable(
                        "\(what) — changed between \(before) and \(cells.time(change.firstSeenAfter))")))
        }
        for failure in section.failures {
            marks.append(
                Mark(
                    cls: "mf", x: Timeline.markX(x(failure.observedAt)),
                    label: HTMLRenderer.printable("not observed at \(cells.time(failure.observedAt)): \(failure.error)")
                ))
        }
        self.bands = bands
        self.marks = marks
    }

    /// A value for a tooltip: at most 60 characters, `∅` when absent.
    static func short(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "∅" }
        return value.count > 60 ? String(value.prefix(59)) + "…" : value
    }

    /// A 4-unit mark centred on `x`, kept inside the 1000-unit box.
    static func markX(_ x: Double) -> Double {
        ((min(max(x - 2, 0), 996)) * 10).rounded() / 10
    }
}
