import Foundation
import Testing

@testable import GatewayAuditClient

@Suite("error bodies: every shape, the SDK's camelCase, nested breadth first down to depth 4")
struct ErrorBodyTests {
    @Test(
        "each shape gives its exact code, message and request id",
        arguments: [
            (
                #"{"error_code":"VPN.0001","error_msg":"invalid request: limit","request_id":"r1"}"#, "VPN.0001",
                "invalid request: limit", "r1"
            ),
            (#"{"code":"VPN.0001","message":"invalid request: marker"}"#, "VPN.0001", "invalid request: marker", nil),
            (
                #"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#, "APIGW.0301",
                "Incorrect IAM authentication information", nil
            ),
            (
                #"{"errorCode":"VPN.0004","errorMsg":"customer gateway not found","request_id":"r4"}"#, "VPN.0004",
                "customer gateway not found", "r4"
            ),
            (
                #"{"error":{"errorCode":"APIG.0308","errorMsg":"The throttling threshold has been reached"}}"#,
                "APIG.0308", "The throttling threshold has been reached", nil
            ),
            (
                #"{"error":{"code":401,"title":"Unauthorized","message":"The request requires authentication."}}"#,
                "401", "The request requires authentication.", nil
            ),
            (
                #"{"result":{"error":{"error_code":"VPN.0002","error_msg":"internal error"}},"request_id":"r7"}"#,
                "VPN.0002", "internal error", "r7"
            ),
            (
                #"{"a":{"b":{"c":{"d":{"errorCode":"VPN.0014","errorMsg":"busy","request_id":"deep"}}}}}"#,
                "VPN.0014", "busy", "deep"
            ),
            (#"{"errors":[{"code":"VPN.0030","message":"system busy"}]}"#, "VPN.0030", "system busy", nil),
            (
                #"{"code":{"error_code":"VPN.0001","error_msg":"under an object-valued code"}}"#, "VPN.0001",
                "under an object-valued code", nil
            ),
        ] as [(String, String, String, String?)])
    func shapes(body: String, code: String, message: String, requestID: String?) {
        let parsed = ErrorBody(data: Data(body.utf8))
        #expect(parsed.code == code)
        #expect(parsed.message == message)
        #expect(parsed.requestID == requestID)
    }

    @Test("a message without a code, and a code without a message, are read as they are")
    func halves() {
        let message = ErrorBody(data: Data(#"{"error_message":"no code here","request_id":"r"}"#.utf8))
        #expect(message.code == nil && message.message == "no code here" && message.requestID == "r")
        let code = ErrorBody(data: Data(#"{"wrapper":{"errorCode":"VPN.0007"}}"#.utf8))
        #expect(code.code == "VPN.0007" && code.message == nil && code.requestID == nil)
    }

    @Test("a message above a nested code: the code is still found (a VPN.0004 stays a not-found), with that message")
    func messageAboveCode() {
        let parsed = ErrorBody(data: Data(#"{"message":"not found","error":{"code":"VPN.0004"}}"#.utf8))
        #expect(parsed.code == "VPN.0004" && parsed.message == "not found")
        let own = ErrorBody(data: Data(#"{"message":"outer","error":{"code":"VPN.0004","message":"inner"}}"#.utf8))
        #expect(own.code == "VPN.0004" && own.message == "inner")
    }

    @Test("snake_case comes before camelCase, camelCase before code and message, in one object")
    func precedence() {
        let all = ErrorBody(
            data: Data(
                #"{"code":"C","message":"m3","errorCode":"B","errorMsg":"m2","error_code":"A","error_msg":"m1"}"#.utf8))
        #expect(all.code == "A" && all.message == "m1")
        let camel = ErrorBody(data: Data(#"{"code":"C","message":"m3","errorCode":"B","errorMsg":"m2"}"#.utf8))
        #expect(camel.code == "B" && camel.message == "m2")
    }

    @Test("breadth first: a shallower code wins over a deeper one, and at one depth the first key in order")
    func breadthFirst() {
        let nested = #"{"a":{"b":{"code":"DEEP","message":"deep"}},"z":{"code":"SHALLOW","message":"shallow"}}"#
        let shallow = ErrorBody(data: Data(nested.utf8))
        #expect(shallow.code == "SHALLOW" && shallow.message == "shallow")
        let ordered = ErrorBody(
            data: Data(#"{"y":{"code":"Y","message":"second"},"x":{"code":"X","message":"first"}}"#.utf8))
        #expect(ordered.code == "X" && ordered.message == "first")
    }

    @Test("the body's own request_id wins over one beside a nested code")
    func requestIDs() {
        let parsed = ErrorBody(
            data: Data(#"{"request_id":"top","error":{"code":"VPN.0001","message":"m","request_id":"inner"}}"#.utf8))
        #expect(parsed.code == "VPN.0001" && parsed.requestID == "top")
    }

    @Test("a code deeper than 4 levels is not read; the body's request_id still is")
    func tooDeep() {
        let parsed = ErrorBody(
            data: Data(#"{"request_id":"r","a":{"b":{"c":{"d":{"e":{"code":"X","message":"too deep"}}}}}}"#.utf8))
        #expect(parsed.code == nil && parsed.message == nil && parsed.requestID == "r")
    }

    @Test("an empty body and a JSON body without any code give nothing")
    func nothing() {
        let empty = ErrorBody(data: Data())
        #expect(empty.code == nil && empty.message == nil && empty.requestID == nil)
        let plain = ErrorBody(data: Data(#"{"status":"error","details":[1,2,3]}"#.utf8))
        #expect(plain.code == nil && plain.message == nil && plain.requestID == nil)
    }
}
