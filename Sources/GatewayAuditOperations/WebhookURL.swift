import Foundation
import GatewayAuditCore

/// A URL that receives heartbeats or notifications. Its path and query often carry the secret
/// (a Slack webhook, a healthchecks.io check id), so it is only ever shown as ``redacted``.
public struct WebhookURL: Sendable, Hashable, CustomStringConvertible {
    /// The full URL, to send to; never log it.
    public let url: URL

    /// Parses and checks `text`: `https://` only, plain `http://` only to a loopback host.
    /// - Throws: ``OperationsError/invalidURL(option:shown:reason:)`` naming `option`.
    public init(_ text: String, option: String) throws(OperationsError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw .invalidURL(
                option: option, shown: Self.redact(trimmed), reason: "not an absolute URL; give https://host/path")
        }
        guard scheme == "https" || (scheme == "http" && Loopback.isLoopback(host: host)) else {
            throw .invalidURL(
                option: option, shown: Self.redact(trimmed),
                reason: "only https:// is allowed (plain http:// only to 127.0.0.1 or localhost); use the https URL")
        }
        guard url.user == nil && url.password == nil else {
            throw .invalidURL(
                option: option, shown: Self.redact(trimmed),
                reason: "credentials in the URL are not supported; put the token in the path or query the service gives"
            )
        }
        self.url = url
    }

    /// `scheme://host[:port]/…`: what logs and messages show instead of the URL.
    public var redacted: String { Self.redact(url.absoluteString) }

    /// The redacted form, so string interpolation never leaks the secret part.
    public var description: String { redacted }

    /// This URL with `/suffix` appended to its path (heartbeat `/start`, `/fail`, `/{exit code}`),
    /// its query kept.
    public func appending(_ suffix: String) -> WebhookURL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return self }
        let path = components.percentEncodedPath
        components.percentEncodedPath = (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/" + suffix
        guard let appended = components.url else { return self }
        return WebhookURL(checked: appended)
    }

    /// This URL with query parameters `items` set: each replaces a parameter of its name, the others are kept
    /// (Uptime Kuma's push URL comes as `…?status=up&msg=OK&ping=`).
    public func setting(_ items: [(name: String, value: String)]) -> WebhookURL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return self }
        let names = Set(items.map(\.name))
        // The other parameters stay exactly as the service wrote them; the new values are encoded here, `+`
        // included (a space to most servers' query parsers, and URLComponents would leave it as it is).
        let kept = (components.percentEncodedQueryItems ?? []).filter { !names.contains($0.name) }
        let added = items.map { item in
            URLQueryItem(
                name: item.name, value: item.value.addingPercentEncoding(withAllowedCharacters: Self.valueCharacters))
        }
        components.percentEncodedQueryItems = kept + added
        guard let set = components.url else { return self }
        return WebhookURL(checked: set)
    }

    /// What a query value keeps unencoded: the query's characters but its separators and `+`.
    private static let valueCharacters = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))

    private init(checked url: URL) {
        self.url = url
    }

    /// Keeps scheme, host and port of any text; everything else becomes `…`.
    static func redact(_ text: String) -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme, let host = components.host,
            !host.isEmpty
        else { return "(unparseable URL)" }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(port)/…"
    }
}
