import ArgumentParser
import GatewayAudit

/// `report <view>`: one of the history's views, or `digest` (what the latest runs found).
enum ReportTarget: ExpressibleByArgument, Equatable {
    case view(ReportView)
    case digest

    init?(argument: String) {
        if argument == "digest" {
            self = .digest
        } else if let view = ReportView(rawValue: argument) {
            self = .view(view)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ReportView.allCases.map(\.rawValue) + ["digest"] }
}

/// `report --format`: csv, html or json for a view (default csv); text, html or json for the digest
/// (default text).
enum ReportOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, html, json, text
}
