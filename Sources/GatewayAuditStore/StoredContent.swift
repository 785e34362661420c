import CZlib
import Foundation
import GRDB
import GatewayAuditCore

/// How the SQLite store keeps a snapshot's content (`snapshot.content`) since migration `v8-deflate`: a BLOB of
/// one format byte (1) and the canonical JSON compressed with raw DEFLATE (RFC 1951, zlib, a 4 KiB window),
/// whose preset dictionary is the kind's member names (``dictionary(kind:)``) followed by the values the
/// snapshot's own row repeats (``Row``). A customer gateway's 252 bytes take about 50: its member names, id and
/// timestamps are back-references into the dictionary (README, "Performance", peer size). Everything above
/// the store still sees the canonical JSON: hashes and chains are over it, reports read it, `copy` to
/// PostgreSQL (whose column stays JSON text) writes it. The file keeps the dictionaries in table
/// `content_dictionary`, so a reader without this code can inflate a content (README, "Reading the SQLite
/// file yourself").
///
/// Text is still read, as stored: the contents of an earlier release until the migration rewrites them, and a
/// value edited by hand, which verification then compares like any other. Format 1 is fixed forever: its
/// dictionaries must never change (new ones would be format 2, and format 1 would still be read).
enum StoredContent {
    /// The format byte of a DEFLATE content with the dictionaries below.
    static let format: UInt8 = 1
    /// DEFLATE's window of format 1: 2^12 bytes, room for the largest dictionary, its row and a content.
    static let windowBits: Int32 = 12

    /// The values of a snapshot's own row that its content repeats, appended to its kind's dictionary:
    /// its resource's id (`gateway.gateway_id`), `id_value`, `created_at_raw` and `updated_at_raw`. The
    /// content's copies of them then cost about 3 bytes each instead of their length.
    struct Row: Sendable {
        var kind: String
        var id: String
        var idValue: String?
        var createdAt: String?
        var updatedAt: String?

        /// The row from an SQL function's arguments 1–5 (see ``columns(snapshot:gateway:)``).
        init(_ values: [DatabaseValue]) {
            kind = String.fromDatabaseValue(values[1]) ?? ""
            id = String.fromDatabaseValue(values[2]) ?? ""
            idValue = String.fromDatabaseValue(values[3])
            createdAt = String.fromDatabaseValue(values[4])
            updatedAt = String.fromDatabaseValue(values[5])
        }

        init(kind: String, id: String, idValue: String?, createdAt: String?, updatedAt: String?) {
            self.kind = kind
            self.id = id
            self.idValue = idValue
            self.createdAt = createdAt
            self.updatedAt = updatedAt
        }

        /// Whether a value of the row holds a NUL character, which a text column does not keep.
        var holdsNUL: Bool {
            id.utf8.contains(0) || idValue?.utf8.contains(0) == true || createdAt?.utf8.contains(0) == true
                || updatedAt?.utf8.contains(0) == true
        }

        /// The kind's dictionary, then `"created_at":"…","id":"…","id_value":"…","updated_at":"…",` with the
        /// row's values as stored (no JSON escaping; an absent one empty), in the content's own order: the
        /// likeliest matches last, where DEFLATE's distances are shortest.
        var dictionary: [UInt8] {
            var bytes = StoredContent.dictionary(kind: kind)
            bytes.reserveCapacity(bytes.count + 80 + id.utf8.count)
            for (name, value) in [
                ("created_at", createdAt ?? ""), ("id", id), ("id_value", idValue ?? ""),
                ("updated_at", updatedAt ?? ""),
            ] {
                bytes.append(0x22)
                bytes.append(contentsOf: name.utf8)
                bytes.append(contentsOf: #"":""#.utf8)
                bytes.append(contentsOf: value.utf8)
                bytes.append(contentsOf: #"","#.utf8)
            }
            return bytes
        }
    }

    /// The arguments after the content that the SQL functions below take, for snapshot alias `s` joined
    /// to its resource row as `g`.
    static func columns(snapshot s: String, gateway g: String) -> String {
        "\(g).kind, \(g).gateway_id, \(s).id_value, \(s).created_at_raw, \(s).updated_at_raw"
    }

    /// The `UPDATE` that rewrites every content of SQL type `type` (`text`, `blob`) through SQL function
    /// `function`, which takes ``readFunction``'s arguments: the migration's compression and the tests' expansion.
    static func rewriteSQL(through function: String, contentsOf type: String) -> String {
        """
        UPDATE snapshot SET content = \(function)(snapshot.content, \(columns(snapshot: "snapshot", gateway: "g")))
        FROM gateway g WHERE g.id = snapshot.gateway AND typeof(snapshot.content) = '\(type)';
        """
    }

    /// The SQL expression of snapshot `s`'s content as JSON text (``readFunction``), its resource row as `g`.
    static func json(snapshot s: String, gateway g: String) -> String {
        "gateway_audit_content(\(s).content, \(columns(snapshot: s, gateway: g)))"
    }

    /// The SQL function that reads a stored content as JSON text: `gateway_audit_content(content, kind,
    /// gateway_id, id_value, created_at_raw, updated_at_raw)`. NULL for NULL, a text as it is; a BLOB that
    /// does not decode is an SQL error.
    static let readFunction = DatabaseFunction("gateway_audit_content", argumentCount: 6, pure: true) { values in
        let content = values[0]
        guard case .blob = content.storage else { return content }
        guard let json = json(content, row: Row(values)) else {
            throw DatabaseError(message: "a snapshot's content does not decode (run `gateway-audit verify`)")
        }
        return json
    }

    /// `readFunction`'s lenient twin for verification: NULL for a content that does not decode, which then
    /// fails its SHA-256 comparison like any edited content.
    static let verifyFunction = DatabaseFunction("gateway_audit_content_or_null", argumentCount: 6, pure: true) {
        values in
        json(values[0], row: Row(values))
    }

    /// The function `v8-deflate` compresses earlier releases' JSON text with, arguments as ``readFunction``'s,
    /// through `deflater`.
    static func migrationFunction(_ deflater: ContentDeflater) -> DatabaseFunction {
        DatabaseFunction("gateway_audit_deflate", argumentCount: 6, pure: true) { values in
            guard case .string(let json) = values[0].storage else { return values[0] }
            return value(json: json, row: Row(values), deflater: deflater)
        }
    }

    /// Adds the functions every connection of the store reads contents with.
    static func register(_ db: Database) {
        db.add(function: readFunction)
        db.add(function: verifyFunction)
    }

    /// What to store for content `json` of snapshot row `row`: its compressed form; NULL for nil.
    static func value(json: String?, row: Row, deflater: ContentDeflater) -> DatabaseValue {
        guard let json else { return .null }
        // SQLite keeps a text column only up to a NUL character (as GRDB binds and reads it): a row value holding
        // one would be read back shorter than the dictionary the content was compressed with, and the content
        // would no longer decode. Such a content stays text.
        guard !row.holdsNUL else { return json.databaseValue }
        return deflater.compressed(json, dictionary: row.dictionary).map { $0.databaseValue } ?? json.databaseValue
    }

    /// The most a stored content inflates to: far above any resource (an answer is at most 32 MiB), and a bound
    /// on what an edited BLOB can make a reader allocate (DEFLATE expands up to about 1,000 to 1).
    static let maximumContentBytes = 64 << 20

    /// The JSON text of stored content `value` of snapshot row `row`: a text as it is; nil for NULL and for a
    /// BLOB that does not decode.
    static func json(_ value: DatabaseValue, row: Row) -> String? {
        switch value.storage {
        case .null: nil
        case .string(let text): text
        case .blob(let data): decompressed(data, row: row)
        case .int64(let number): String(number)
        case .double(let number): String(number)
        }
    }

    /// The JSON text of a stored BLOB; nil when it is not format 1 or does not inflate, with the dictionary
    /// of `row`, to one whole stream of UTF-8.
    static func decompressed(_ data: Data, row: Row, limit: Int = maximumContentBytes) -> String? {
        guard data.first == format else { return nil }
        let dictionary = row.dictionary
        // On the heap: zlib checks that a stream has not moved between calls.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard inflateInit2_(stream, -windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(stream) }
        let dictionaryStatus = dictionary.withUnsafeBufferPointer { bytes in
            inflateSetDictionary(stream, bytes.baseAddress, uInt(bytes.count))
        }
        guard dictionaryStatus == Z_OK else { return nil }
        var output = [UInt8](repeating: 0, count: min(max(512, data.count * 8), limit))
        var input = Array(data.dropFirst())
        let finished = input.withUnsafeMutableBufferPointer { source -> Bool in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = uInt(source.count)
            while true {
                let written = Int(stream.pointee.total_out)
                let status = output.withUnsafeMutableBufferPointer { target in
                    stream.pointee.next_out = target.baseAddress.map { $0 + written }
                    stream.pointee.avail_out = uInt(target.count - written)
                    return inflate(stream, Z_NO_FLUSH)
                }
                // The whole input, one stream: trailing bytes are an edit too.
                if status == Z_STREAM_END { return stream.pointee.avail_in == 0 }
                // Out of room: grow and go on, up to `limit`; anything else (a damaged stream, a truncated one)
                // fails, and so does a stream that would inflate past the limit (an edit).
                guard status == Z_OK || status == Z_BUF_ERROR, stream.pointee.avail_out == 0, output.count < limit
                else { return false }
                output.append(contentsOf: repeatElement(0, count: min(output.count, limit - output.count)))
            }
        }
        guard finished else { return nil }
        return String(validating: output[0..<Int(stream.pointee.total_out)], as: UTF8.self)
    }

    /// The dictionary of format 1 for a resource of kind `kind` (`gateway.kind`); empty for another text.
    static func dictionary(kind: String) -> [UInt8] {
        switch kind {
        case ResourceKind.customerGateway.rawValue: customerGateway
        case ResourceKind.vpnGateway.rawValue: vpnGateway
        case ResourceKind.vpnConnection.rawValue: vpnConnection
        default: []
        }
    }

    /// The dictionaries' rows of table `content_dictionary`, which `v8-deflate` writes: format, kind, bytes.
    static var dictionaryRows: [(format: Int, kind: String, bytes: [UInt8])] {
        ResourceKind.allCases.map { (Int(format), $0.rawValue, dictionary(kind: $0.rawValue)) }
    }

    // Each kind's configuration members in canonical (sorted) order with the API's usual values, from the
    // official SDK's response models (reference/VPN-SDK.md). Part of format 1: never edit them.

    static let customerGateway: [UInt8] = Array(
        #"""
        {"bgp_asn":,"ca_certificate":{"expire_time":"","id":"","is_updatable":true,"issuer":"CN=",\#
        "serial_number":"","signature_algorithm":"sha256WithRSAEncryption","subject":"CN="},"created_at":"",\#
        "id_type":"ip","id_value":"","name":"","tags":[{"key":"","value":""}],"updated_at":""
        """#.utf8)

    static let vpnGateway: [UInt8] = Array(
        #"""
        {"access_private_ip_1":"","access_private_ip_2":"","access_subnet_id":"","access_vpc_id":"",\#
        "applied_at":"","attachment_type":"vpc","availability_zone_ids":[""],"bgp_asn":64512,\#
        "certificate_id":"","connect_subnet":"","connection_number":200,"created_at":"",\#
        "eip1":{"bandwidth_billing_info":"","bandwidth_id":"","bandwidth_name":"","bandwidth_size":,\#
        "charge_mode":"bandwidth","id":"","ip_address":"","ip_billing_info":"","ip_version":4,\#
        "share_type":"PER","type":"5_bgp"},"eip2":{"bandwidth_id":"","id":"","ip_address":""},\#
        "enterprise_project_id":"0","er_attachment_id":"","er_id":"","flavor":"Professional1",\#
        "ha_mode":"active-active","id":"","ip_version":"ipv4","local_subnets":[""],"local_subnets_v6":[],\#
        "name":"","network_type":"public",\#
        "policy_template":{"ike_policy":{"authentication_algorithm":"sha2-256","dh_group":"group14",\#
        "encryption_algorithm":"aes-256","lifetime_seconds":86400},\#
        "ipsec_policy":{"authentication_algorithm":"sha2-256","encryption_algorithm":"aes-256",\#
        "lifetime_seconds":3600,"pfs":"group14"}},"public_border_group":"center","supported_features":[""],\#
        "supported_flavors":[""],"tags":[{"key":"","value":""}],"updated_at":"","upgrade_info":"",\#
        "used_connection_group":0,"used_connection_number":0,"vpc_id":""}
        """#.utf8)

    static let vpnConnection: [UInt8] = Array(
        #"""
        {"bgp_peer":{"peer_asn":,"peer_ip_address":""},"cgw_id":"","connection_monitor_id":"",\#
        "created_at":"","enable_hub":false,"enable_nqa":false,"enterprise_project_id":"0",\#
        "ha_role":"master","id":"","ikepolicy":{"authentication_algorithm":"sha2-256",\#
        "authentication_method":"pre-share","dh_group":"group14","dpd":{"interval":30,\#
        "msg":"seq-notify-hash","timeout":15},"encryption_algorithm":"aes-256","ike_version":"v2",\#
        "lifetime_seconds":86400,"local_id":"","local_id_type":"ip","peer_id":"","peer_id_type":"ip",\#
        "phase1_negotiation_mode":"main"},"ipsecpolicy":{"authentication_algorithm":"sha2-256",\#
        "encapsulation_mode":"tunnel","encryption_algorithm":"aes-256","lifetime_seconds":3600,\#
        "pfs":"group14","transform_protocol":"esp"},"name":"","peer_subnets":[""],"peer_subnets_v6":[""],\#
        "policy_rules":[{"destination":[""],"rule_index":1,"source":""}],"policy_rules_v6":[],\#
        "style":"static","tags":[{"key":"","value":""}],"tunnel_local_address":"","tunnel_peer_address":"",\#
        "updated_at":"","vgw_id":"","vgw_ip":""}
        """#.utf8)
}

/// One DEFLATE stream for a batch's contents, reset for each instead of set up anew: zlib's 32 KiB of state
/// allocated once per batch, not once per new snapshot.
/// Unchecked `Sendable`: a batch's recorder, or the migration's SQL function, uses it on one connection,
/// one call at a time.
final class ContentDeflater: @unchecked Sendable {
    private let stream: UnsafeMutablePointer<z_stream>
    private let ready: Bool

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Level 6 compresses these small contents as well as 9 (76,233 bytes against 76,044 for the
        // bench's 1,560 snapshots); memLevel 5 keeps the hash table at 8 KiB, enough for a 4 KiB window.
        ready =
            deflateInit2_(
                stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -StoredContent.windowBits, 5, Z_DEFAULT_STRATEGY,
                ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ready { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Format byte and DEFLATE stream of `json` with preset dictionary `dictionary`; nil when zlib fails
    /// (it does not for valid input; the caller then stores the text).
    func compressed(_ json: String, dictionary: [UInt8]) -> Data? {
        guard ready, deflateReset(stream) == Z_OK else { return nil }
        let dictionaryStatus = dictionary.withUnsafeBufferPointer { bytes in
            deflateSetDictionary(stream, bytes.baseAddress, uInt(bytes.count))
        }
        guard dictionaryStatus == Z_OK else { return nil }
        var input = Array(json.utf8)
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var output = Data(count: bound + 1)
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBytes { target -> Int32 in
                let bytes = target.bindMemory(to: UInt8.self)
                bytes[0] = StoredContent.format
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = bytes.baseAddress.map { $0 + 1 }
                stream.pointee.avail_out = uInt(bound)
                return deflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.count = 1 + Int(stream.pointee.total_out)
        return output
    }
}
