import Crypto
import Foundation
import GatewayAudit
import VPNSimulator

extension Stages {
    /// The PostgreSQL store: a night of new and of unchanged customer gateways against the same rows
    /// written by the same client with prepared inserts (and with `COPY`); the changes CSV against
    /// `psql \copy` of the same rows, and its peak memory from 10,000 to `bigRows` rows.
    func postgres(server: BenchPostgres, bigRows: Int, into table: inout BenchTable) async throws {
        let prefix = "ga_bench_\(getpid())"
        try await postgresIngest(server, prefix: prefix, into: &table)
        try await postgresReport(server, prefix: prefix, bigRows: bigRows, into: &table)
    }

    private func postgresIngest(_ server: BenchPostgres, prefix: String, into table: inout BenchTable) async throws {
        let current = SyntheticYear(gateways: gateways).current
        let seen = SyntheticYear.runTime(ofNight: 0)
        let next = SyntheticYear.runTime(ofNight: 1)
        let rows: [PostgresReference.Row] = current.map {
            let content = $0.canonicalJSON
            return (
                $0.id.rawValue, seen.nanosecondsSinceEpoch ?? 0, content,
                SHA256.hash(data: Data(content.utf8)).hexString, $0.resource.createdAtText,
                $0.resource.updatedAtText
            )
        }
        try await server.create("\(prefix)_reference")
        let reference = try await PostgresReference(server, database: "\(prefix)_reference")
        // Three histories, each a new night then an unchanged one; the references run just before each
        // measured night, and every figure is a median of three.
        var inserts: [Double] = []
        var copies: [Double] = []
        var newNights: [Double] = []
        var unchangedNights: [Double] = []
        for attempt in 0..<3 {
            let database = "\(prefix)_ingest_\(attempt)"
            try await server.create(database)
            let store = try HistoryDatabase.open(path: server.url(database: database))
            for night in [seen, next] {
                try await reference.reset()
                inserts.append(try await measure { try await reference.insert(rows) })
                try await reference.reset()
                copies.append(try await measure { try await reference.copy(rows) })
                let observations = current.map { Observation.present($0, at: night) }
                let seconds = try await measure { try await record(observations, in: store, at: night) }
                if night == seen { newNights.append(seconds) } else { unchangedNights.append(seconds) }
            }
            try await server.drop(database)
        }
        await reference.close()
        try await server.drop("\(prefix)_reference")
        let insert = median(inserts)
        let copy = median(copies)
        let basis = String(format: "%.3f s prepared inserts (COPY %.3f s), medians of 3", insert, copy)
        for (label, nights) in [("new", newNights), ("unchanged", unchangedNights)] {
            let ratio = median(nights) / insert
            table.add(
                BenchRow(
                    stage: "postgres: night of \(gateways) \(label)", figure: String(format: "%.3f s", median(nights)),
                    reference: basis, ratio: ratio, target: "≤ 2×", met: ratio <= 2))
        }
    }

    private func postgresReport(
        _ server: BenchPostgres, prefix: String, bigRows: Int, into table: inout BenchTable
    ) async throws {
        var peaks: [Int] = []
        for (name, rows) in [("small", 10_000), ("big", bigRows)] {
            // The storage stage's histories when it ran, else built here the same way.
            let file = path("rows-\(name).sqlite")
            if !FileManager.default.fileExists(atPath: file) { _ = try await renameEveryNight(path: file, rows: rows) }
            let database = "\(prefix)_rows_\(name)"
            try await server.create(database)
            let source = try HistoryDatabase.open(path: file, readOnly: true)
            let target = try HistoryDatabase.open(path: server.url(database: database))
            let copySeconds = try measure { _ = try HistoryCopier(from: source, to: target).copy() }
            if name == "big" {
                table.add(
                    BenchRow(
                        stage: "postgres: copy of a \(rows)-change history",
                        figure: String(format: "%.1f s", copySeconds),
                        reference: "SQLite → PostgreSQL, gateway-audit copy", ratio: nil, target: "-", met: nil))
            }
            let ours = ChildProcess.run(
                tool, ["report", "changes", "--db", server.url(database: database), "--output", path("pg-\(name).csv")])
            peaks.append(ours.peakRSSKiB)
            if name == "big" {
                try reportAgainstPsql(server, database: database, first: ours, rows: rows, into: &table)
            }
            try await server.drop(database)
        }
        let (small, big) = (peaks[0], peaks[1])
        let memoryRatio = Double(big) / Double(max(small, 1))
        table.add(
            BenchRow(
                stage: "postgres: report peak memory, \(bigRows) vs 10000 rows",
                figure: "\(big / 1024) MiB", reference: "\(small / 1024) MiB",
                ratio: memoryRatio, target: "≤ 1.2×", met: memoryRatio <= 1.2))
    }

    private func reportAgainstPsql(
        _ server: BenchPostgres, database: String, first: ChildProcess.Result, rows: Int, into table: inout BenchTable
    ) throws {
        let stage = "postgres: changes CSV, \(rows) rows"
        guard first.status == 0 else {
            throw BenchError("gateway-audit report changes on PostgreSQL exited \(first.status)")
        }
        guard let psql = ChildProcess.which("psql") else {
            table.add(
                BenchRow(
                    stage: stage, figure: String(format: "%.3f s", first.seconds), reference: "psql not installed",
                    ratio: nil, target: "≤ 2×", met: nil))
            return
        }
        let sql = BareInsertStore.changeRowsSQL.split(separator: "\n").joined(separator: " ")
        // The median of three runs of each, alternating (the first run above warmed the server's cache).
        let (ours, reference) = ChildProcess.sideBySide(
            ours: {
                ChildProcess.run(
                    tool, ["report", "changes", "--db", server.url(database: database), "--output", path("pg-big.csv")])
            },
            reference: {
                ChildProcess.run(
                    psql, ["-X", "-q", "-d", server.url(database: database), "-c", "\\copy (\(sql)) TO STDOUT CSV"],
                    stdoutPath: path("pg-big.psql.csv"))
            })
        guard ours.status == 0 else {
            throw BenchError("gateway-audit report changes on PostgreSQL exited \(ours.status)")
        }
        guard reference.status == 0 else { throw BenchError("psql \\copy exited \(reference.status)") }
        let ratio = ours.seconds / reference.seconds
        table.add(
            BenchRow(
                stage: stage, figure: String(format: "%.3f s", ours.seconds),
                reference: String(format: "%.3f s psql \\copy", reference.seconds), ratio: ratio, target: "≤ 2×",
                met: ratio <= 2))
    }
}

/// The middle value (the upper middle of an even count).
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
