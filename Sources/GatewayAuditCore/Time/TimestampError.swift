import Foundation

/// Why a piece of text is not a timestamp the API could have meant.
public enum TimestampError: Error, Sendable, Hashable {
    /// The text was empty or only blanks.
    case empty
    /// The text does not have the shape `YYYY-MM-DDThh:mm:ss[.fraction][offset]`.
    case malformed(text: String, expected: String, position: Int)
    /// A date or time field is outside its range (month 13, February 30, hour 25, ...).
    case outOfRange(text: String, field: String, value: Int, allowed: String)
    /// More than nine fraction digits: the value cannot be kept exactly at nanosecond precision.
    case tooManyFractionDigits(text: String, count: Int)
}

extension TimestampError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty:
            return "empty timestamp: expected RFC 3339 text such as 2024-06-25T13:19:37.335Z"
        case .malformed(let text, let expected, let position):
            return "invalid timestamp \"\(text)\": expected \(expected) at character \(position + 1)"
                + " (format YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm])"
        case .outOfRange(let text, let field, let value, let allowed):
            return "invalid timestamp \"\(text)\": \(field) \(value) is out of range (\(allowed))"
        case .tooManyFractionDigits(let text, let count):
            return
                "invalid timestamp \"\(text)\": \(count) fraction digits, at most 9 (nanoseconds) can be kept exactly"
        }
    }
}

extension TimestampError: LocalizedError {
    public var errorDescription: String? { description }
}
