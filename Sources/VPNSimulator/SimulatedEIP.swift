import GatewayAuditCore

/// An elastic IP bound to a simulated VPN gateway (`eip1`, `eip2`; the SDK's `ResponseEip`).
public struct SimulatedEIP: Sendable, Hashable, Codable {
    /// EIP id.
    public var id: String
    /// The public address; a connection's `vgw_ip` is one of its gateway's addresses.
    public var ipAddress: String
    /// Bandwidth id.
    public var bandwidthID: String
    /// Bandwidth name.
    public var bandwidthName: String
    /// Bandwidth in Mbit/s.
    public var bandwidthSize: Int64
    /// `bandwidth` or `traffic`.
    public var chargeMode: String
    /// `PER` (dedicated) or `WHOLE` (shared).
    public var shareType: String
    /// EIP type, e.g. `5_bgp`.
    public var type: String

    /// Creates an EIP.
    public init(
        id: String, ipAddress: String, bandwidthID: String, bandwidthName: String, bandwidthSize: Int64 = 100,
        chargeMode: String = "traffic", shareType: String = "PER", type: String = "5_bgp"
    ) {
        self.id = id
        self.ipAddress = ipAddress
        self.bandwidthID = bandwidthID
        self.bandwidthName = bandwidthName
        self.bandwidthSize = bandwidthSize
        self.chargeMode = chargeMode
        self.shareType = shareType
        self.type = type
    }

    /// The API's `ResponseEip` object (every member, typed as the SDK types them).
    public var json: JSONValue {
        .object([
            "id": .string(id), "ip_version": .integer(4), "ip_billing_info": .string(""), "type": .string(type),
            "ip_address": .string(ipAddress), "charge_mode": .string(chargeMode), "bandwidth_id": .string(bandwidthID),
            "bandwidth_size": .integer(bandwidthSize), "bandwidth_name": .string(bandwidthName),
            "bandwidth_billing_info": .string(""), "share_type": .string(shareType),
        ])
    }
}
