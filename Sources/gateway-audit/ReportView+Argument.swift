import ArgumentParser
import GatewayAudit

/// `report <view>`: `history`, `changes` or `timestamps`.
extension ReportView: ExpressibleByArgument {}

/// `--kind customer-gateway|vpn-gateway|vpn-connection`.
extension ResourceKind: ExpressibleByArgument {}
