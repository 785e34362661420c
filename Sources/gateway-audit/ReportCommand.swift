import ArgumentParser
import Foundation
import GatewayAudit

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the history, changes or timestamps view as CSV or one-file HTML.",
        discussion: """
            Columns are documented in reports/README.md. Every time is rendered in --tz with its UTC offset. \
            A file is written atomically: an interrupted report never leaves a partial file. Beside it goes \
            <file>.manifest.json (SHA-256, view, zone, filters, the database's chain head), signed with --sign-key; \
            `gateway-audit verify <file>` checks it.

            Example: gateway-audit report changes --tz Europe/Berlin --since 2025-03-01 --format html
            """
    )

    @Argument(help: ArgumentHelp("history, changes or timestamps.", valueName: "view"))
    var view: ReportViewArgument

    @Option(name: .long, help: "csv or html.")
    var format: ReportFormatArgument = .csv

    @OptionGroup var zoneOption: ZoneOption

    @Option(name: .customLong("id"), help: ArgumentHelp("Only this gateway (repeatable).", valueName: "id"))
    var ids: [String] = []

    @Option(name: .long, help: ArgumentHelp("From this time (RFC 3339, or YYYY-MM-DD in --tz).", valueName: "time"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Up to this time (RFC 3339, or YYYY-MM-DD in --tz, whole day).", valueName: "time"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("File to write, or - for standard output. Default: <view>.<zone>.<format>.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("sign-key"), help: ArgumentHelp("Sign the manifest with this Ed25519 private key (see keygen).", valueName: "file"))
    var signKey: String?

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let zone = try zoneOption.zone()
        let filter = try ReportFilter.parse(ids: ids, since: since, until: until, zone: zone)
        let store = try database.openForReading()
        let options = ReportOptions(view: view.value, format: format.value, zone: zone, filter: filter)
        let renderer = ReportRenderer(store: store, options: options)
        let target = output ?? options.defaultFileName
        if target == "-" {
            var stdout = StandardOutput()
            try renderer.render(to: &stdout)
            stdout.flush()
            return
        }
        let manifest = try ReportExport.write(store: store, options: options, to: target, signingKey: signKey)
        FileHandle.standardError.write(Data(
            "wrote \(target) (\(manifest.rows) rows, times in \(zone.identifier)) and \(ReportManifest.path(for: target))\n".utf8))
    }
}

extension ReportFilter {
    /// Builds a filter from command-line values.
    /// - Throws: ``ReportError`` for an unreadable time or an empty range.
    static func parse(ids: [String], since: String?, until: String?, zone: Zone) throws -> ReportFilter {
        let from = try since.map { text throws(ReportError) in try ReportTime.parse(text, in: zone, endOfDay: false) }
        let to = try until.map { text throws(ReportError) in try ReportTime.parse(text, in: zone, endOfDay: true) }
        if let from, let to, from > to, let since, let until { throw ReportError.emptyRange(since: since, until: until) }
        return ReportFilter(gatewayIDs: ids.map { GatewayID($0) }, since: from, until: to)
    }
}

struct ReportViewArgument: ExpressibleByArgument {
    let value: ReportView
    init?(argument: String) {
        guard let view = ReportView(rawValue: argument) else { return nil }
        value = view
    }
    static var allValueStrings: [String] { ReportView.allCases.map(\.rawValue) }
}

struct ReportFormatArgument: ExpressibleByArgument {
    let value: ReportFormat
    static let csv = ReportFormatArgument(value: .csv)
    init(value: ReportFormat) { self.value = value }
    init?(argument: String) {
        guard let format = ReportFormat(rawValue: argument) else { return nil }
        value = format
    }
    static var allValueStrings: [String] { ReportFormat.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}
