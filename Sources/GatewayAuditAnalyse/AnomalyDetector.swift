import GatewayAuditCore

/// Finds timestamp and identity anomalies in a gateway's snapshot against the one before it.
public struct AnomalyDetector: Sendable {
    /// Fields the API documents as immutable for a given id.
    public static let immutableFields = ResourceKind.customerGateway.immutableFields
    /// How far past the observation time a timestamp may lie before it is flagged (clock skew).
    public var futureTolerance: Int64

    /// Creates a detector; `futureTolerance` in seconds (default 10 minutes).
    public init(futureTolerance: Int64 = 600) {
        self.futureTolerance = futureTolerance
    }

    /// Anomalies of `current` observed at `observedAt`, compared with `previous` (the gateway's prior
    /// present state, nil for the first), given the content changes already computed between them.
    public func anomalies(
        current: CustomerGateway, previous: CustomerGateway?, observedAt: Instant, changes: [FieldChange]
    ) -> [TimestampAnomaly] {
        anomalies(current: current.resource, previous: previous?.resource, observedAt: observedAt, changes: changes)
    }

    /// Anomalies of a resource of any kind (its kind's timestamp and immutable fields).
    public func anomalies(
        current: Resource, previous: Resource?, observedAt: Instant, changes: [FieldChange]
    ) -> [TimestampAnomaly] {
        var found: [TimestampAnomaly] = []
        for (field, text, parsed) in TimestampFields(current).entries {
            guard let text else { continue }
            guard let timestamp = parsed else {
                found.append(TimestampAnomaly(field: field, kind: .unparseable, detail: text))
                continue
            }
            if !timestamp.offset.isStated {
                found.append(TimestampAnomaly(field: field, kind: .noOffset, detail: text))
            }
            if field != TimestampField.caExpireTime.rawValue,
                timestamp.instant > observedAt.adding(seconds: futureTolerance)
            {
                found.append(
                    TimestampAnomaly(
                        field: field, kind: .inTheFuture, detail: "\(text) observed at \(observedAt.iso8601())"))
            }
        }
        if let created = current.createdAt, let updated = current.updatedAt, updated.instant < created.instant {
            found.append(
                TimestampAnomaly(
                    field: TimestampField.updatedAt.rawValue, kind: .updatedBeforeCreated,
                    detail: "\(updated.raw) < \(created.raw)"))
        }
        if let previous {
            found += pairAnomalies(current: current, previous: previous, changes: changes)
        }
        return found
    }

    private func pairAnomalies(
        current: Resource, previous: Resource, changes: [FieldChange]
    ) -> [TimestampAnomaly] {
        var found: [TimestampAnomaly] = []
        let before = TimestampFields(previous).entries
        for (index, (field, text, parsed)) in TimestampFields(current).entries.enumerated() {
            let (_, oldText, oldParsed) = before[index]
            guard let text, let oldText, text != oldText, let new = parsed, let old = oldParsed else { continue }
            let detail = "\(oldText) → \(text)"
            if new.isRelabelling(of: old) {
                found.append(TimestampAnomaly(field: field, kind: .offsetRelabelled, detail: detail))
            } else if new.instant == old.instant {
                found.append(TimestampAnomaly(field: field, kind: .reformatted, detail: detail))
            } else if field == TimestampField.createdAt.rawValue {
                found.append(TimestampAnomaly(field: field, kind: .createdAtChanged, detail: detail))
            } else if field == TimestampField.updatedAt.rawValue, new.instant < old.instant {
                found.append(TimestampAnomaly(field: field, kind: .updatedAtRegressed, detail: detail))
            }
        }

        let contentPaths = changes.map(\.path).filter { $0 != TimestampField.createdAt.rawValue }
        let contentChanged = !contentPaths.isEmpty
        let updatedMoved: Bool = {
            guard let new = current.updatedAt, let old = previous.updatedAt else { return false }
            return new.instant > old.instant && !new.isRelabelling(of: old)
        }()
        if contentChanged, current.updatedAtText == previous.updatedAtText, let text = current.updatedAtText {
            found.append(
                TimestampAnomaly(
                    field: TimestampField.updatedAt.rawValue, kind: .changedWithoutUpdate,
                    detail: "\(contentPaths.joined(separator: ", ")) changed, updated_at still \(text)"))
        }
        if !contentChanged, updatedMoved, let old = previous.updatedAtText, let new = current.updatedAtText {
            found.append(
                TimestampAnomaly(
                    field: TimestampField.updatedAt.rawValue, kind: .updateWithoutChange, detail: "\(old) → \(new)"))
        }

        for field in current.kind.immutableFields {
            guard let old = previous.raw[field], let new = current.raw[field], old != new else { continue }
            found.append(
                TimestampAnomaly(
                    field: field, kind: .immutableFieldChanged,
                    detail: "\(old.scalarText ?? "null") → \(new.scalarText ?? "null")"))
        }
        return found
    }
}

/// The timestamp-valued fields of a resource in its kind's order: raw text and the parsed value.
struct TimestampFields {
    let entries: [(field: String, text: String?, parsed: Timestamp?)]

    init(_ resource: Resource) {
        entries = resource.timestamps.map { ($0.field.rawValue, $0.text, $0.parsed) }
    }
}
