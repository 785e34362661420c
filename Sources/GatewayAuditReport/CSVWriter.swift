import GatewayAuditCore
import GatewayAuditStore

/// Writes RFC 4180 CSV (CRLF line ends, quoting as needed, doubled quotes) that is safe to open in a
/// spreadsheet: a cell that a spreadsheet would treat as a formula is neutralised.
///
/// Neutralisation rule (documented in reports/README.md, reversible): a cell that begins with `=`,
/// `+`, `-`, `@`, tab, carriage return, NUL or `'` gets one `'` put in front. A reader restores the
/// original value by removing one leading `'` from any cell that starts with `'`.
public struct CSVWriter<Output: TextOutputStream> {
    private var destination: Output
    /// Records not yet handed to the output: encoded as bytes and handed over 32 KiB at a time.
    private var pending: [UInt8] = []

    /// Where rows go; reading it first hands over every record written so far.
    public var output: Output {
        mutating get {
            flush()
            return destination
        }
    }

    /// Creates a writer appending to `output`.
    public init(output: Output) {
        destination = output
        pending.reserveCapacity(CSVWriter.chunk + 4096)
    }

    /// Writes one record.
    public mutating func writeRow(_ cells: [String]) {
        for index in cells.indices {
            if index > 0 { pending.append(0x2C) }
            CSVField.append(cells[index], to: &pending)
        }
        pending.append(0x0D)
        pending.append(0x0A)
        if pending.count >= CSVWriter.chunk { flush() }
    }

    /// Hands the records written so far to the output.
    public mutating func flush() {
        guard !pending.isEmpty else { return }
        destination.write(String(decoding: pending, as: UTF8.self))
        pending.removeAll(keepingCapacity: true)
    }

    private static var chunk: Int { 1 << 15 }

    /// One cell, neutralised and quoted as needed.
    public static func field(_ value: String) -> String {
        var bytes: [UInt8] = []
        CSVField.append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Prefixes `'` to a value a spreadsheet could execute (see the type's rule).
    public static func neutralise(_ value: String) -> String {
        guard let first = value.utf8.first, CSVField.isFormulaStart(first) else { return value }
        return "'" + value
    }

    /// Undoes ``neutralise(_:)``: what a reader applies to each parsed cell.
    public static func restore(_ cell: String) -> String {
        cell.unicodeScalars.first == "'" ? String(cell.unicodeScalars.dropFirst()) : cell
    }
}

/// The byte-level rules of ``CSVWriter``, outside the generic type.
enum CSVField {
    /// Appends one cell's bytes, neutralised and quoted as needed. Every byte tested is ASCII, which never
    /// occurs inside a multi-byte UTF-8 sequence: a quote is doubled wherever it stands, even before a
    /// combining mark (a Character-level replace would skip that one and leave the row broken open).
    static func append(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { cell in
            guard let first = cell.first else { return }
            let neutralised = isFormulaStart(first)
            guard cell.contains(where: isSpecial) else {
                if neutralised { bytes.append(0x27) }
                bytes.append(contentsOf: cell)
                return
            }
            bytes.append(0x22)
            if neutralised { bytes.append(0x27) }
            for byte in cell {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        }
    }

    /// `=`, `+`, `-`, `@`, tab, carriage return, NUL or `'`: the first bytes ``CSVWriter/neutralise(_:)`` guards.
    static func isFormulaStart(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D, 0x00, 0x27: return true
        default: return false
        }
    }

    /// Comma, quote, line feed, carriage return: the bytes a cell is quoted for.
    private static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2C, 0x22, 0x0A, 0x0D: return true
        default: return false
        }
    }
}
