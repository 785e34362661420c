extension Instant {
    /// ISO 8601 text in `zone` with an explicit offset (`Z` for UTC), e.g. `2024-10-27T02:30:00.5+01:00`.
    ///
    /// - Parameter fractionDigits: digits after the seconds; nil renders the fewest of 0, 3, 6 or 9 that
    ///   keep the instant exact. A smaller explicit count truncates.
    public func iso8601(in zone: Zone = .utc, fractionDigits: Int? = nil) -> String {
        let offset = zone.offsetSeconds(at: self)
        let local = seconds + Int64(offset)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = Int(local - days * 86_400)
        let date = CivilTime.civilFromDays(days)

        var text = pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        let digits = fractionDigits ?? minimalFractionDigits
        if digits > 0 {
            let nanosText = pad(Int(nanoseconds), 9)
            text += "." + String(nanosText.prefix(min(digits, 9)))
            if digits > 9 { text += String(repeating: "0", count: digits - 9) }
        }
        text += zone.isUTC ? "Z" : Instant.offsetText(offset)
        return text
    }

    /// `+hh:mm` / `-hh:mm` for an offset in seconds (`±hh:mm:ss` for the odd historical offset).
    public static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        var text = sign + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 { text += ":" + pad(magnitude % 60, 2) }
        return text
    }

    private var minimalFractionDigits: Int {
        if nanoseconds == 0 { return 0 }
        if nanoseconds % 1_000_000 == 0 { return 3 }
        if nanoseconds % 1_000 == 0 { return 6 }
        return 9
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
