import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("JSON parser: strict, exact, bounded")
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue(data: Data(text.utf8)) }

    @Test("scalars, nesting, exact integers and escapes")
    func values() throws {
        #expect(
            try parse(#" {"a":[1,-2,3.5,1e3,true,false,null],"b":{}} "#)
                == .object([
                    "a": .array([
                        .integer(1), .integer(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null,
                    ]),
                    "b": .object([:]),
                ]))
        #expect(try parse("18446744073709551615") == .unsignedInteger(18_446_744_073_709_551_615))
        #expect(try parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude80""#) == .string("a\"b\\c/d\n\té🚀"))
        #expect(try parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test("doubleValue reads every kind of number, and nothing else")
    func doubleValue() throws {
        #expect(try parse("50.25").doubleValue == 50.25)
        #expect(try parse("50").doubleValue == 50)
        #expect(try parse("18446744073709551615").doubleValue == Double(UInt64.max))
        #expect(try parse(#""50""#).doubleValue == nil)
        #expect(try parse("true").doubleValue == nil)
    }

    @Test(
        "malformed input is a typed error with a position",
        arguments: [
            (
                #"{"a":1"#,
                "response is not valid JSON (expected \",\" or \"}\" at byte 6, found the end of the data); the body may be truncated or come from a proxy"
            ),
            (
                #"{"a" 1}"#,
                "response is not valid JSON (expected \":\" at byte 5, found \"1\"); the body may be truncated or come from a proxy"
            ),
            (
                "[01]",
                "response is not valid JSON (expected \",\" or \"]\" at byte 2, found \"1\"); the body may be truncated or come from a proxy"
            ),
            (
                "tru",
                "response is not valid JSON (expected true at byte 3, found the end of the data); the body may be truncated or come from a proxy"
            ),
            (
                #""a\x""#,
                "response is not valid JSON (expected a valid escape at byte 3, found \"x\"); the body may be truncated or come from a proxy"
            ),
            (
                "",
                "response is not valid JSON (expected a value at byte 0, found the end of the data); the body may be truncated or come from a proxy"
            ),
            (
                "<html>",
                "response is not valid JSON (expected a value at byte 0, found \"<\"); the body may be truncated or come from a proxy"
            ),
            (
                "{\n \"é\": tru}",
                "response is not valid JSON (expected true at line 2, column 10 (byte 12), found \"}\"); the body may be truncated or come from a proxy"
            ),
            (
                "{\"a\" 1\n}",
                "response is not valid JSON (expected \":\" at line 1, column 6 (byte 5), found \"1\"); the body may be truncated or come from a proxy"
            ),
            (
                "[\"a\"\u{1B}[2J]",
                "response is not valid JSON (expected \",\" or \"]\" at byte 4, found \"\\u001B\"); the body may be truncated or come from a proxy"
            ),
            (
                "[1\\]",
                "response is not valid JSON (expected \",\" or \"]\" at byte 2, found \"\\\\\"); the body may be truncated or come from a proxy"
            ),
            (
                "[1é]",
                "response is not valid JSON (expected \",\" or \"]\" at byte 2, found \"é\"); the body may be truncated or come from a proxy"
            ),
            (
                "\u{FEFF}{\"a\" 1}",
                "response is not valid JSON (expected \":\" at byte 8, found \"1\"); the body may be truncated or come from a proxy"
            ),
            (
                "1e999",
                "response is not valid JSON (number 1e999 at byte 0 is out of range); the body may be truncated or come from a proxy"
            ),
        ])
    func malformed(text: String, message: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test("deep nesting is refused instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ModelError.invalidJSON("nested deeper than 512 levels at byte 512")) { try parse(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test("raw control characters inside strings are refused")
    func controlCharacters() {
        #expect(throws: ModelError.self) { try parse("\"a\u{01}b\"") }
    }
}
