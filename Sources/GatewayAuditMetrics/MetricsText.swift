import GatewayAuditCore

/// A metrics file as this release writes it, read back for what the next file keeps: each scope's series
/// are known by their first four labels (`account`, `region`, `project_id`, `kind`, in that order).
enum MetricsText {
    /// The scopes a file has series for.
    struct Scopes {
        /// Each scope by key, with its last success when the file has one.
        var byKey: [String: (scope: MonitoringScope, lastSuccess: Instant?)] = [:]
        /// The keys in the file's order.
        var order: [String] = []

        subscript(key: String) -> (scope: MonitoringScope, lastSuccess: Instant?)? { byKey[key] }
    }

    /// One line of a file: a family's HELP or TYPE line, or a sample with its family and scope key (nil for a
    /// sample in another form).
    private enum Line {
        case header(family: String)
        case sample(family: String, key: String?, labels: [(String, String)], value: Substring)
    }

    /// The key of `scope`'s series: its labels as the renderer writes them.
    static func key(of scope: MonitoringScope) -> String {
        key(scope.labels)
    }

    private static func key(_ labels: some Sequence<(String, String)>) -> String {
        labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",")
    }

    /// `new` (a rendered file) with the samples of `kept` whose scope is not in `replaced`, each in its
    /// family (after the new samples; a family only `kept` has comes last, with its HELP and TYPE lines).
    static func merging(kept: String, into new: String, except replaced: Set<String>) -> String {
        var keptSamples: [String: [Substring]] = [:]
        var keptHeaders: [String: [Substring]] = [:]
        var keptOrder: [String] = []
        for (text, line) in lines(of: kept) {
            switch line {
            case .header(let family):
                if keptHeaders[family] == nil { keptOrder.append(family) }
                keptHeaders[family, default: []].append(text)
            case .sample(let family, let key?, _, _) where !replaced.contains(key):
                keptSamples[family, default: []].append(text)
            case .sample:
                continue
            }
        }
        var output: [Substring] = []
        var written: Set<String> = []
        var current: String?
        // The kept samples of the family just written, before the next family's header.
        func closeFamily() {
            if let current, written.insert(current).inserted { output += keptSamples[current] ?? [] }
        }
        for (text, line) in lines(of: new) {
            if case .header(let family) = line, family != current {
                closeFamily()
                current = family
            }
            output.append(text)
        }
        closeFamily()
        for family in keptOrder where !written.contains(family) {
            guard let samples = keptSamples[family], !samples.isEmpty else { continue }
            output += (keptHeaders[family] ?? []) + samples
        }
        return output.isEmpty ? "" : output.joined(separator: "\n") + "\n"
    }

    /// The scopes `text` has series for, with their last success.
    static func scopes(in text: String) -> Scopes {
        var scopes = Scopes()
        for (_, line) in lines(of: text) {
            guard case .sample(let family, let key?, let labels, let value) = line else { continue }
            if scopes.byKey[key] == nil {
                let scope = MonitoringScope(
                    account: labels[0].1, region: labels[1].1, projectID: labels[2].1, kind: labels[3].1)
                scopes.byKey[key] = (scope, nil)
                scopes.order.append(key)
            }
            if family == "gateway_audit_last_success_timestamp_seconds", let seconds = Double(value), seconds.isFinite,
                seconds > 0
            {
                let whole = seconds.rounded(.down)
                scopes.byKey[key]?.lastSuccess = Instant(
                    seconds: Int64(whole), nanoseconds: Int64(((seconds - whole) * 1e9).rounded()))
            }
        }
        return scopes
    }

    /// The non-empty lines of `text`, each read.
    private static func lines(of text: String) -> [(Substring, Line)] {
        text.split(separator: "\n").compactMap { text in
            if text.hasPrefix("# HELP ") || text.hasPrefix("# TYPE ") {
                let name = text.dropFirst(7).prefix { $0 != " " }
                return (text, .header(family: String(name)))
            }
            if text.hasPrefix("#") { return nil }
            return sample(text).map { (text, $0) }
        }
    }

    /// `name{labels} value`: its family, its scope key when its first four labels are the scope's, its labels.
    private static func sample(_ text: Substring) -> Line? {
        guard let space = text.lastIndex(of: " ") else { return nil }
        let value = text[text.index(after: space)...]
        let series = text[..<space]
        guard let brace = series.firstIndex(of: "{"), series.last == "}" else {
            return .sample(family: String(series), key: nil, labels: [], value: value)
        }
        let family = String(series[..<brace])
        let labels = self.labels(series[series.index(after: brace)..<series.index(before: series.endIndex)])
        let names = ["account", "region", "project_id", "kind"]
        guard let labels, labels.count >= 4, zip(labels, names).allSatisfy({ $0.0.0 == $0.1 }) else {
            return .sample(family: family, key: nil, labels: [], value: value)
        }
        return .sample(family: family, key: key(labels.prefix(4)), labels: labels, value: value)
    }

    /// `a="x",b="y"` as pairs, the values unescaped; nil when the text is not in that form.
    private static func labels(_ text: Substring) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        var rest = text[...]
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)...].first == "\"" else {
                return nil
            }
            let name = String(rest[..<equals])
            var value = ""
            var index = rest.index(equals, offsetBy: 2)
            var closed = false
            while index < rest.endIndex {
                let character = rest[index]
                index = rest.index(after: index)
                if character == "\"" {
                    closed = true
                    break
                }
                if character == "\\", index < rest.endIndex {
                    let escaped = rest[index]
                    index = rest.index(after: index)
                    value.append(escaped == "n" ? "\n" : escaped)
                } else {
                    value.append(character)
                }
            }
            guard closed else { return nil }
            pairs.append((name, value))
            rest = rest[index...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return pairs
    }

    /// A label value as the text format writes it (swift-prometheus: backslash, quote, line feed).
    private static func escaped(_ value: String) -> String {
        var text = ""
        // By scalar, as the library escapes bytes: a CR LF pair is one `Character`.
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
