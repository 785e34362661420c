import Foundation

/// The one loopback rule of the package: which hosts may be spoken to over plain `http://` (the
/// simulator), and which databases the demo may replace.
public enum Loopback {
    /// `localhost`, `::1` or an IPv4 literal in 127.0.0.0/8; a DNS name such as `127.example.com`
    /// or `localhost.corp` is not.
    public static func isLoopback(host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "[::1]" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { $0.isASCII && $0.isNumber }
                && (Int(octet) ?? 256) <= 255
        }
    }

    /// True for an `http://` or `https://` URL whose host is loopback (see ``isLoopback(host:)``).
    public static func isLoopback(url text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return isLoopback(host: host)
    }
}
