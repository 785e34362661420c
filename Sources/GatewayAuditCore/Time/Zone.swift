import Foundation

/// An IANA time zone (`Europe/Berlin`, `Asia/Kolkata`, `UTC`) in which instants are rendered.
public struct Zone: Sendable, Hashable, CustomStringConvertible {
    /// The IANA identifier, as the user wrote it.
    public let identifier: String
    private let timeZone: TimeZone

    /// Coordinated Universal Time; renders with `Z`.
    public static let utc = Zone(identifier: "UTC", timeZone: TimeZone(secondsFromGMT: 0) ?? .current)

    private init(identifier: String, timeZone: TimeZone) {
        self.identifier = identifier
        self.timeZone = timeZone
    }

    /// Looks up an IANA zone by name.
    /// - Throws: ``ZoneError/unknown(_:suggestion:)`` with the closest known name when there is one.
    public init(identifier: String) throws(ZoneError) {
        let trimmed = identifier.trimmingCharacters(in: .whitespaces)
        if ["UTC", "Z", "Etc/UTC", "GMT"].contains(trimmed) {
            self = .utc
            return
        }
        guard
            trimmed.contains("/") || TimeZone.knownTimeZoneIdentifiers.contains(trimmed)
                || Zone.isDatabaseEntry(trimmed),
            let zone = TimeZone(identifier: trimmed)
        else {
            throw .unknown(identifier, suggestion: Zone.suggestion(for: trimmed))
        }
        self.init(identifier: trimmed, timeZone: zone)
    }

    /// True for UTC itself (which renders as `Z`).
    public var isUTC: Bool { identifier == "UTC" }

    /// The zone's offset from UTC, in seconds, at `instant` (daylight saving included).
    public func offsetSeconds(at instant: Instant) -> Int {
        if isUTC { return 0 }
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    /// The identifier made safe for a file name (`Europe/Berlin` → `Europe-Berlin`).
    public var fileNameComponent: String {
        identifier.replacingOccurrences(of: "/", with: "-")
    }

    public var description: String { identifier }

    /// Whether `name`, a name without a `/`, is an entry of the system's tz database (`CET`, `EST5EDT`,
    /// `Japan`): those are zones with their own rules. Other names Foundation would take without a
    /// `/` are refused: abbreviations (`PST`, whose rules are not the tz database's) and `GMT+5`, which
    /// means the opposite of the tz database's `Etc/GMT+5`.
    static func isDatabaseEntry(_ name: String) -> Bool {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            return false
        }
        let directory = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    static func suggestion(for name: String) -> String? {
        // An abbreviation names the zone it abbreviates (`PST` → America/Los_Angeles).
        if let zone = TimeZone.abbreviationDictionary[name.uppercased()] { return zone }
        let lower = name.lowercased()
        // Close means a typo: one edit in a short name, a quarter of a long one.
        let limit = max(1, name.count / 4)
        var best: (name: String, distance: Int)?
        for candidate in TimeZone.knownTimeZoneIdentifiers {
            guard let distance = EditDistance.between(lower, candidate.lowercased(), limit: limit) else { continue }
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }
}

/// Why a zone name was not accepted.
public enum ZoneError: Error, Sendable, Hashable {
    /// The name is not an IANA time zone known to this system's tz database.
    case unknown(String, suggestion: String?)
}

extension ZoneError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unknown(let name, let suggestion?):
            return "unknown time zone \"\(name)\" (did you mean \(suggestion)?)"
        case .unknown(let name, nil):
            return "unknown time zone \"\(name)\": use an IANA name such as UTC, Europe/Berlin or Asia/Shanghai"
        }
    }
}

extension ZoneError: LocalizedError {
    public var errorDescription: String? { description }
}
