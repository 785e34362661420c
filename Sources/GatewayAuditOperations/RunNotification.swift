import Foundation
import GatewayAudit
import GatewayAuditMetrics

/// The JSON document `collect --notify` posts after a run with news (schema in reports/README.md and
/// reports/notification.schema.json). Every key is always present; absent values are `null`.
public struct RunNotification: Sendable, Hashable, Encodable {
    /// The schema identifier; a new incompatible shape gets a new one.
    public static let schemaID = "gateway-audit/notification/v1"
    /// The most entries a document carries; the rest are counted in `entries_omitted`.
    public static let entryLimit = 100

    /// Counts of the run, anomalies included.
    public struct Counts: Sendable, Hashable, Encodable {
        let observed, unchanged, changed, new, gone, failed, anomalies: Int
    }

    /// Where the run looked.
    public struct Scope: Sendable, Hashable, Encodable {
        let account, region, projectID, kind, endpoint, selection: String

        enum CodingKeys: String, CodingKey {
            case account, region, kind, endpoint, selection
            case projectID = "project_id"
        }
    }

    let schema: String
    let toolVersion: String
    let runID: Int64?
    let status: String
    let exitCode: Int32
    let startedAt: String
    let finishedAt: String
    let scope: Scope
    let counts: Counts
    let message: String?
    let chainHead: String?
    let digestFirstRun: Int64?
    let entries: [DigestEntry]
    let entriesOmitted: Int

    /// Builds the document for `outcome` with the entries of `digest` (capped at ``entryLimit``).
    public init(outcome: RunOutcome, digest: RunDigest?) {
        let counts = outcome.counts
        let (entries, omitted) = (digest ?? RunDigest(runID: 0, entries: [])).capped(at: Self.entryLimit)
        schema = Self.schemaID
        toolVersion = GatewayAuditVersion.current
        runID = outcome.summary?.runID
        status = outcome.status.rawValue
        exitCode = outcome.exitCode
        startedAt = outcome.startedAt.iso8601()
        finishedAt = outcome.finishedAt.iso8601()
        scope = Scope(
            account: outcome.scope.account, region: outcome.scope.region, projectID: outcome.scope.projectID,
            kind: outcome.scope.kind, endpoint: outcome.endpoint, selection: outcome.selection.rawValue)
        self.counts = Counts(
            observed: counts.observed, unchanged: counts.unchanged, changed: counts.changed, new: counts.new,
            gone: counts.gone, failed: counts.failed, anomalies: outcome.anomalies)
        message = outcome.message
        chainHead = outcome.summary?.chainHead
        digestFirstRun = digest?.firstRunID
        self.entries = entries
        entriesOmitted = omitted
    }

    enum CodingKeys: String, CodingKey {
        case schema, status, scope, counts, message, entries
        case toolVersion = "tool_version"
        case runID = "run_id"
        case exitCode = "exit_code"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case chainHead = "chain_head"
        case entriesOmitted = "entries_omitted"
        case digestFirstRun = "digest_first_run"
    }

    /// Encodes every key, `null` included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(toolVersion, forKey: .toolVersion)
        try container.encode(runID, forKey: .runID)
        try container.encode(status, forKey: .status)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(scope, forKey: .scope)
        try container.encode(counts, forKey: .counts)
        try container.encode(message, forKey: .message)
        try container.encode(chainHead, forKey: .chainHead)
        try container.encode(digestFirstRun, forKey: .digestFirstRun)
        try container.encode(entries, forKey: .entries)
        try container.encode(entriesOmitted, forKey: .entriesOmitted)
    }

    /// The document as UTF-8 JSON with sorted keys.
    /// - Throws: an `EncodingError` only if a value cannot be represented (never for these types).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
