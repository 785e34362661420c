import Crypto
import Foundation
import GatewayAudit
import Logging
import VPNSimulator

/// The benchmark stages. Each measures the product and a reference in the same run and reports the ratio.
struct Stages {
    let directory: String
    let gateways: Int
    let nights: Int
    let tool: String

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// One night of new gateways recorded by the store, then the same night again unchanged, against bare
    /// prepared inserts of the very rows the store wrote (``SameRowsReference``), medians of three rounds
    /// run alternately; the one-table inserts of earlier benches are shown beside them.
    func ingest(into table: inout BenchTable) async throws {
        let year = SyntheticYear(gateways: gateways)
        let current = year.current
        let seen = SyntheticYear.runTime(ofNight: 0)
        let contents = current.map(\.canonicalJSON)
        let hashes = contents.map { SHA256.hash(data: Data($0.utf8)).hexString }
        let rows = current.indices.map { (gateway: current[$0].resource, content: contents[$0], hash: hashes[$0]) }
        let observations = current.map { Observation.present($0, at: seen) }
        let next = SyntheticYear.runTime(ofNight: 1)
        let unchanged = current.map { Observation.present($0, at: next) }
        var new: [Double] = []
        var again: [Double] = []
        var sameRows: [Double] = []
        var oneTable: [Double] = []
        var floor: [Double] = []
        var unmarkedFloor: [Double] = []
        let third = SyntheticYear.runTime(ofNight: 2)
        let fourth = SyntheticYear.runTime(ofNight: 3)
        for round in 1...3 {
            let reference = try BareInsertStore(path: path("reference-\(round).sqlite"))
            oneTable.append(try measure { try reference.insert(rows, seen: seen) })
            let store = try HistoryDatabase.open(path: path("ingest-\(round).sqlite"))
            new.append(try await measure { try await record(observations, in: store, at: seen) })
            let written = try SameRowsReference(source: path("ingest-\(round).sqlite"))
            sameRows.append(try written.insert(into: path("reference-same-rows-\(round).sqlite")))
            again.append(try await measure { try await record(unchanged, in: store, at: next) })
            let bare = try UnchangedNightFloor.night(path: path("ingest-\(round).sqlite"), at: third)
            guard bare.marked == gateways else {
                throw BenchError("the floor night marked \(bare.marked) of \(gateways) resources")
            }
            floor.append(bare.seconds)
            let unmarked = try UnchangedNightFloor.night(path: path("ingest-\(round).sqlite"), at: fourth, marks: false)
            guard unmarked.marked == gateways else {
                throw BenchError("the unmarked floor night found \(unmarked.marked) of \(gateways) resources")
            }
            unmarkedFloor.append(unmarked.seconds)
        }
        let referenceSeconds = median(sameRows)
        let reference = String(
            format: "%.3f s the same rows, bare inserts (one table: %.3f s), medians of 3", referenceSeconds,
            median(oneTable))
        let ratio = median(new) / referenceSeconds
        table.add(
            BenchRow(
                stage: "ingest: night of \(gateways) new", figure: String(format: "%.3f s", median(new)),
                reference: reference, ratio: ratio, target: "≤ 2×", met: ratio <= 2))
        let unchangedRatio = median(again) / referenceSeconds
        table.add(
            BenchRow(
                stage: "ingest: night of \(gateways) unchanged", figure: String(format: "%.3f s", median(again)),
                reference: reference, ratio: unchangedRatio, target: "≤ 1.5×", met: unchangedRatio <= 1.5))
        // What "building the year" (≥ 150,000 obs/s) can reach at most while every night marks every resource.
        let floorRatio = median(again) / median(floor)
        table.add(
            BenchRow(
                stage: "ingest: floor of an unchanged night of \(gateways) (bare SQL: run row, one read, marks)",
                figure: String(
                    format: "%.3f s = %.0f obs/s", median(floor), Double(gateways) / max(median(floor), 1e-9)),
                reference: String(format: "%.3f s the store's unchanged night, medians of 3", median(again)),
                ratio: floorRatio, target: "-", met: nil))
        // The same night writing nothing per resource: what the year's design (unchanged nights that
        // write nothing per resource, README "building the year") could reach at most.
        table.add(
            BenchRow(
                stage:
                    "ingest: floor of an unchanged night of \(gateways) writing nothing per resource (run row, one read)",
                figure: String(
                    format: "%.3f s = %.0f obs/s", median(unmarkedFloor),
                    Double(gateways) / max(median(unmarkedFloor), 1e-9)),
                reference: String(format: "%.3f s the floor with marks, medians of 3", median(floor)),
                ratio: median(unmarkedFloor) / max(median(floor), 1e-9), target: "-", met: nil))
    }

    struct Year {
        let path: String
        let monthPath: String
        let exampleID: GatewayID
    }

    /// A year of nights: bytes per unchanged observation, and total size against every night's JSON.
    func storage(into table: inout BenchTable) async throws -> Year {
        var year = SyntheticYear(gateways: gateways)
        let store = try HistoryDatabase.open(path: path("year.sqlite"))
        var jsonBytes: Int64 = 0
        var unchangedObservations = 0
        var sizeAfterFirst: Int64 = 0
        let month = path("month.sqlite")
        var exampleID: GatewayID = year.current.first?.id ?? "none"
        // The store's time: each night's runs, batch and seal, not the generator's nights or the JSON.
        var recording = 0.0
        // Where it goes, on the nights after the first (which adds every resource).
        let phases = NightPhases()
        let seconds = try await measure {
            for night in 0..<nights {
                if night > 0 { year.advance() }
                let at = SyntheticYear.runTime(ofNight: night)
                let list: JSONValue = .object([
                    "customer_gateways": .array(year.currentJSON), "total_count": .integer(Int64(gateways)),
                ])
                jsonBytes += Int64(list.canonicalJSON.utf8.count)
                let observations = year.current.map { Observation.present($0, at: at) }
                let started = ContinuousClock.now
                let outcomes = try await record(observations, in: store, at: at, phases: night > 0 ? phases : nil)
                recording += started.duration(to: .now).seconds
                // The night's observations (the generator's) are freed after the store's time is taken.
                withExtendedLifetime(observations) {}
                if night == 0 {
                    try store.checkpoint()
                    sizeAfterFirst = try store.fileSize()
                    exampleID = year.current[year.current.count / 2].id
                } else {
                    unchangedObservations += outcomes.filter { $0 == .unchanged }.count
                }
                if night == min(29, nights - 1) {
                    try store.checkpoint()
                    if FileManager.default.fileExists(atPath: month) {
                        try FileManager.default.removeItem(atPath: month)
                    }
                    try FileManager.default.copyItem(atPath: path("year.sqlite"), toPath: month)
                }
            }
            try store.checkpoint()
        }
        let size = try store.fileSize()
        let perObservation = Double(size - sizeAfterFirst) / Double(max(unchangedObservations, 1))
        let observations = gateways * nights
        table.add(
            BenchRow(
                stage: "storage: bytes per unchanged observation", figure: String(format: "%.2f B", perObservation),
                reference: "\(unchangedObservations) unchanged obs., growth incl. all changes", ratio: nil,
                target: "≤ 16 B",
                met: perObservation <= 16))
        table.add(
            BenchRow(
                stage: "storage: database vs nightly JSON", figure: formatBytes(size),
                reference: formatBytes(jsonBytes) + " of JSON",
                ratio: Double(size) / Double(jsonBytes), target: "smaller", met: size < jsonBytes))
        table.add(
            BenchRow(
                stage: "storage: building the year",
                figure: String(format: "%.0f obs/s", Double(observations) / recording),
                reference: String(
                    format: "%.1f s recording %d obs. (%.1f s with generating the nights)", recording, observations,
                    seconds), ratio: nil, target: "≥ 150000 obs/s", met: Double(observations) / recording >= 150_000))
        if phases.nights > 0 {
            table.add(
                BenchRow(
                    stage: "storage: a night of the year after the first, by step",
                    figure: String(format: "%.1f ms", phases.total / Double(phases.nights) * 1_000),
                    reference: phases.summary, ratio: nil, target: "-", met: nil))
        }
        return Year(path: path("year.sqlite"), monthPath: month, exampleID: exampleID)
    }

    /// The full changes CSV against `sqlite3 -csv`; peak memory of a big report against a small one.
    func report(year: Year, bigRows: Int, into table: inout BenchTable) async throws {
        let small = try await renameEveryNight(path: path("rows-small.sqlite"), rows: 10_000)
        let big = try await renameEveryNight(path: path("rows-big.sqlite"), rows: bigRows)
        let smallRun = ChildProcess.run(tool, ["report", "changes", "--db", small, "--output", path("small.csv")])
        let bigRun = ChildProcess.run(tool, ["report", "changes", "--db", big, "--output", path("big.csv")])
        let memoryRatio = Double(bigRun.peakRSSKiB) / Double(max(smallRun.peakRSSKiB, 1))
        table.add(
            BenchRow(
                stage: "report: peak memory, \(bigRows) vs 10000 rows", figure: "\(bigRun.peakRSSKiB / 1024) MiB",
                reference: "\(smallRun.peakRSSKiB / 1024) MiB", ratio: memoryRatio, target: "≤ 1.2×",
                met: memoryRatio <= 1.2))
        table.add(
            BenchRow(
                stage: "report: changes CSV speed",
                figure: String(format: "%.0f rows/s", Double(bigRows) / bigRun.seconds),
                reference: String(format: "%.2f s for %d rows", bigRun.seconds, bigRows), ratio: nil, target: "-",
                met: nil))
        againstSQLite3(
            "report: changes CSV, \(bigRows) rows", database: big, output: "big", limit: 1.5, into: &table)
        // A quick year (1,000 × 30) is a CSV of a few thousand rows: the two processes' start, not the
        // report, so that ratio is shown but not gated.
        againstSQLite3(
            "report: full changes CSV of the year", database: year.path, output: "year-changes", limit: 2,
            gated: gateways * nights >= 1_000_000, into: &table)
    }

    /// A row comparing `report changes` on `database` with `sqlite3 -csv` of the same rows: the median of
    /// three runs of each, alternating. A row not `gated` says so in its target, which `--check` skips.
    private func againstSQLite3(
        _ stage: String, database: String, output: String, limit: Double, gated: Bool = true,
        into table: inout BenchTable
    ) {
        let target = String(format: "≤ %g×", limit) + (gated ? "" : " (full run)")
        let report = {
            ChildProcess.run(tool, ["report", "changes", "--db", database, "--output", path(output + ".csv")])
        }
        guard let sqlite3 = ChildProcess.which("sqlite3") else {
            table.add(
                BenchRow(
                    stage: stage, figure: String(format: "%.3f s", report().seconds),
                    reference: "sqlite3 not installed",
                    ratio: nil, target: target, met: nil))
            return
        }
        let (ours, reference) = ChildProcess.sideBySide(
            ours: report,
            reference: {
                ChildProcess.run(
                    sqlite3, ["-csv", database, BareInsertStore.changeRowsSQL],
                    stdoutPath: path(output + ".sqlite3.csv"))
            })
        let ratio = ours.seconds / reference.seconds
        table.add(
            BenchRow(
                stage: stage, figure: String(format: "%.3f s", ours.seconds),
                reference: String(format: "%.3f s sqlite3 -csv", reference.seconds), ratio: ratio, target: target,
                met: ratio <= limit))
    }

    /// `when-changed` for one gateway on the year against the first month.
    func query(year: Year, into table: inout BenchTable) throws {
        let yearStore = HistoryQueries(try HistoryDatabase.open(path: year.path, readOnly: true))
        let monthStore = HistoryQueries(try HistoryDatabase.open(path: year.monthPath, readOnly: true))
        let repeats = 200
        _ = try WhenChangedReport(store: yearStore, gatewayID: year.exampleID)
        _ = try WhenChangedReport(store: monthStore, gatewayID: year.exampleID)
        let monthSeconds = try measure {
            for _ in 0..<repeats { _ = try WhenChangedReport(store: monthStore, gatewayID: year.exampleID) }
        }
        let yearSeconds = try measure {
            for _ in 0..<repeats { _ = try WhenChangedReport(store: yearStore, gatewayID: year.exampleID) }
        }
        let ratio = yearSeconds / monthSeconds
        table.add(
            BenchRow(
                stage: "query: when-changed, year vs month",
                figure: String(format: "%.2f ms", yearSeconds * 1000 / Double(repeats)),
                reference: String(format: "%.2f ms on one month", monthSeconds * 1000 / Double(repeats)), ratio: ratio,
                target: "≤ 1.5×", met: ratio <= 1.5))
    }

    /// Records one night as a run, in one transaction like the reference (the collector's default
    /// batches of 100 trade some speed for losing less on a crash): `beginRun`, the three calls
    /// ``ObservationRecorder/record(_:in:)`` makes (keep the two alike), `finishRun`, each timed; with
    /// `phases`, adds their times to it.
    @discardableResult
    func record(_ observations: [Observation], in store: HistoryDatabase, at: Instant, phases: NightPhases? = nil)
        async throws -> [ObservationOutcome]
    {
        let writer = HistoryWriter(store)
        let recorder = ObservationRecorder(writer: writer)
        var mark = ContinuousClock.now
        func lap() -> Double {
            let now = ContinuousClock.now
            defer { mark = now }
            return (now - mark).seconds
        }
        let run = try await writer.beginRun(RunInfo(endpoint: "bench", projectID: "bench", scope: .all), at: at)
        let begin = lap()
        let priors = try await writer.priorStates(for: observations)
        let prior = lap()
        let writes = observations.indices.map { recorder.write(for: observations[$0], prior: priors[$0]) }
        let diff = lap()
        let outcomes = try await writer.record(writes, in: run)
        let recording = lap()
        try await writer.finishRun(run, status: .complete, at: at)
        phases?.add(begin: begin, prior: prior, diff: diff, record: recording, seal: lap())
        return outcomes
    }

    /// A history where every gateway is renamed every night: `rows` change rows in all.
    func renameEveryNight(path: String, rows: Int) async throws -> String {
        let perNight = min(rows, 10_000)
        let nights = rows / perNight
        let store = try HistoryDatabase.open(path: path)
        for night in 0...nights {
            let at = SyntheticYear.runTime(ofNight: night)
            let observations = try (0..<perNight).map { index -> Observation in
                let json: JSONValue = .object([
                    "id": .string("gw-\(index)"), "name": .string("gw-\(index)-night-\(night)"), "id_type": "ip",
                    "id_value": .string("10.0.\(index / 256).\(index % 256)"),
                    "created_at": "2024-01-01T00:00:00Z", "updated_at": .string(at.adding(seconds: -3600).iso8601()),
                ])
                return Observation.present(try CustomerGateway(json: json), at: at)
            }
            try await record(observations, in: store, at: at)
        }
        try store.checkpoint()
        return path
    }
}

/// The time of each step of the nights a bench records, summed (``Stages/record(_:in:at:phases:)``).
final class NightPhases {
    private(set) var nights = 0
    private var begin = 0.0
    private var prior = 0.0
    private var diff = 0.0
    private var record = 0.0
    private var seal = 0.0

    var total: Double { begin + prior + diff + record + seal }

    func add(begin: Double, prior: Double, diff: Double, record: Double, seal: Double) {
        nights += 1
        self.begin += begin
        self.prior += prior
        self.diff += diff
        self.record += record
        self.seal += seal
    }

    /// Each step's average per night, in milliseconds.
    var summary: String {
        let each = 1_000 / Double(max(nights, 1))
        return String(
            format: "average of %d: run row %.1f, prior states %.1f, diffs %.1f, recording %.1f, sealing %.1f ms",
            nights, begin * each, prior * each, diff * each, record * each, seal * each)
    }
}
