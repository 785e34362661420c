import CSV
import Foundation
import PropertyBased
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("CSV writer: round trip through a real CSV reader, over generated cells")
struct CSVWriterPropertyTests {
    @Test("a quote followed by a combining mark is still doubled, so the row cannot be broken open")
    func quoteWithCombiningMark() throws {
        let hostile = "x\"\u{301},=HYPERLINK(\"http://evil\")"
        var writer = CSVWriter(output: "")
        writer.writeRow([hostile, "next"])
        let reader = try CSVReader(string: writer.output)
        let row = try #require(reader.next())
        #expect(row.map(CSVWriter<String>.restore) == [hostile, "next"])
    }

    @Test("any table of cells comes back unchanged after reading and undoing the neutralisation")
    func roundTrip() async throws {
        await propertyCheck(count: 500, input: Gen.int(in: 1...6), Gen.bytes(0...400)) { columns, bytes in
            var choices = ByteChoices(bytes)
            var rows: [[String]] = [(0..<columns).map { "column\($0)" }]
            repeat {
                rows.append((0..<columns).map { _ in choices.string(maxLength: 10) })
            } while !choices.exhausted
            var writer = CSVWriter(output: "")
            for row in rows { writer.writeRow(row) }
            let text = writer.output
            do {
                let reader = try CSVReader(string: text)
                var read: [[String]] = []
                while let row = reader.next() { read.append(row.map(CSVWriter<String>.restore)) }
                #expect(read == rows, "\(text.debugDescription)")
            } catch {
                Issue.record("the reader rejected the writer's output: \(error)\n\(text.debugDescription)")
            }
            for row in rows.dropFirst() {
                for cell in row {
                    let first = CSVWriter<String>.field(cell).unicodeScalars.first
                    #expect(
                        first.map { !["=", "+", "-", "@", "\t", "\r", "\0"].contains($0) } ?? true,
                        "\(cell.debugDescription)")
                }
            }
        }
    }
}
