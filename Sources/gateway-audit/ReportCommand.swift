import ArgumentParser
import Foundation
import GatewayAudit

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Write the history, changes, timestamps or status view as CSV, NDJSON or an HTML dashboard; or the digest.",
        discussion: """
            Columns are documented in reports/README.md. history shows one kind of resource (--kind, default \
            customer-gateway; each kind has its own columns); changes, timestamps and status cover every kind \
            unless --kind narrows them. Every time is rendered in --tz with its UTC offset. \
            A file is written atomically: an interrupted report never leaves a partial file. Beside it goes \
            <file>.manifest.json (SHA-256, view, zone, filters, the database's chain head), signed with --sign-key; \
            `gateway-audit verify <file>` checks it.

            `report digest` prints what the latest run found (or every run since --since-run N or --since T), \
            per gateway: field changes old → new with their windows, new, gone, reappeared, anomalies and failed \
            observations; as text (default), --format html (e-mail-safe) or --format json. Nothing to report: no \
            output, exit 0.

            Example: gateway-audit report changes --tz Europe/Berlin --since 2025-03-01 --format html
            """
    )

    @Argument(help: ArgumentHelp("history, changes, timestamps, status, or digest.", valueName: "view"))
    var view: ReportTarget

    @Option(name: .long, help: "csv, html or json (NDJSON); digest: text, html or json. Default: csv; digest: text.")
    var format: ReportOutputFormat?

    @Option(
        name: .customLong("since-run"), parsing: .unconditional,
        help: ArgumentHelp("digest only: every run from this one to the latest.", valueName: "run"))
    var sinceRun: Int64?

    @OptionGroup var zoneOption: ZoneOption

    @Option(name: .customLong("id"), help: ArgumentHelp("Only this resource (repeatable).", valueName: "id"))
    var ids: [String] = []

    @Option(
        name: .customLong("kind"),
        help: ArgumentHelp(
            "Only this kind (repeatable): customer-gateway, vpn-gateway or vpn-connection. history takes one.",
            valueName: "kind"))
    var kinds: [ResourceKind] = []

    @Option(
        name: .long,
        help: ArgumentHelp("From this time (RFC 3339; without an offset, or YYYY-MM-DD, in --tz).", valueName: "time"),
        transform: ReportTime.init(parsing:))
    var since: ReportTime?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Up to this time (RFC 3339; without an offset, or YYYY-MM-DD, in --tz: whole day).", valueName: "time"),
        transform: ReportTime.init(parsing:))
    var until: ReportTime?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "File to write, or - for standard output. Default: <view>.<zone>.<format>.", valueName: "file"))
    var output: String?

    @Option(
        name: .customLong("sign-key"),
        help: ArgumentHelp("Sign the manifest with this Ed25519 private key (see keygen).", valueName: "file"))
    var signKey: String?

    @OptionGroup var database: DatabaseOption

    @OptionGroup(title: "Scopes") var scopes: ScopeOptions

    /// Rejects a `--since` after `--until`, and options the chosen view does not take, before anything is
    /// opened.
    func validate() throws {
        _ = try filter()
        switch view {
        case .digest:
            if format == .csv { throw ValidationError("report digest: --format is text, html or json") }
            if until != nil || !ids.isEmpty || signKey != nil {
                throw ValidationError("report digest takes --since-run or --since, not --until, --id or --sign-key")
            }
            if sinceRun != nil && since != nil { throw ValidationError("report digest: give --since-run or --since") }
            if let sinceRun, sinceRun < 1 { throw ValidationError("--since-run: a run id, 1 or more") }
        case .view(let reportView):
            if format == .text { throw ValidationError("--format is csv, html or json for a view") }
            if sinceRun != nil { throw ValidationError("--since-run applies to `report digest` only") }
            if signKey != nil && output == "-" {
                throw ValidationError(
                    "--sign-key signs the manifest written beside a file; standard output has none: pass --output FILE")
            }
            if reportView == .history && Set(kinds).count > 1 {
                throw ValidationError(
                    "history shows one kind at a time (each has its own columns): pass one --kind, "
                        + "e.g. --kind vpn-connection")
            }
        }
    }

    func run() async throws {
        guard case .view(let view) = self.view else {
            if let output, output != "-" { try refuseStoredFiles(target: output, withManifest: false) }
            return try runDigest()
        }
        let zone = zoneOption.tz
        let reportFormat: ReportFormat =
            switch format {
            case .html?: .html
            case .json?: .json
            default: .csv
            }
        let options = ReportOptions(view: view, format: reportFormat, zone: zone, filter: try filter())
        let target = output ?? options.defaultFileName
        if target != "-" { try refuseStoredFiles(target: target, withManifest: true) }
        let store = try database.openForReading()
        if target == "-" {
            var stdout = StandardOutput()
            try ReportRenderer(store: store, options: options).render(to: &stdout)
            stdout.flush()
            return
        }
        let manifest = try ReportExport.write(store: store, options: options, to: target, signingKey: signKey)
        FileHandle.standardError.write(
            Data(
                "wrote \(target) (\(manifest.rows) rows, times in \(zone.identifier)) and \(ReportManifest.path(for: target))\n"
                    .utf8))
    }

    /// Refuses, before anything is opened or written, a file to write that is one already stored: the history
    /// database (a file; a PostgreSQL URL names none), its `-wal`, `-shm` or `-journal` file, or the
    /// `--sign-key` file. Renaming the report (or, `withManifest`, its `<target>.manifest.json`) over one of
    /// them would lose it.
    /// - Throws: ``CommandFailure`` with status ``ExitStatus/usage``: one line naming what the path is.
    private func refuseStoredFiles(target: String, withManifest: Bool) throws(CommandFailure) {
        var stored: [(path: String, role: String)] = []
        let databasePath = database.path
        if !PostgresLocation.isPostgres(databasePath) {
            stored.append((databasePath, "the history database itself"))
            // SQLite names its files after the database's real path (a link resolved) as well.
            var names = [databasePath]
            if let resolved = ReportFile.realPath(databasePath), resolved != databasePath { names.append(resolved) }
            for name in names {
                stored += [
                    (name + "-wal", "the history database's write-ahead log"),
                    (name + "-shm", "the history database's shared-memory file"),
                    (name + "-journal", "the history database's rollback journal"),
                ]
            }
        }
        if let signKey { stored.append((signKey, "the signing key itself")) }
        let subject = output == nil ? "the default file \(target)" : "--output \(target)"
        let advice = output == nil ? "pass --output with another file" : "choose another file"
        var written = [(path: target, subject: subject)]
        if withManifest {
            let manifest = ReportManifest.path(for: target)
            written.append((manifest, "the manifest of \(subject) (\(manifest))"))
        }
        for file in written {
            for existing in stored where ReportFile.sameFile(file.path, existing.path) {
                throw CommandFailure(status: .usage, description: "\(file.subject) is \(existing.role); \(advice)")
            }
        }
    }

    private func filter() throws(ReportError) -> ReportFilter {
        var filter = try ReportFilter(
            gatewayIDs: ids.map { GatewayID($0) }, since: since, until: until, zone: zoneOption.tz)
        var seen = Set<ResourceKind>()
        filter.kinds = kinds.filter { seen.insert($0).inserted }
        filter.scopes = scopes.filter
        return filter
    }
}
