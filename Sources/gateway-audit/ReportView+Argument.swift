import ArgumentParser
import GatewayAudit

/// `report <view>`: `history`, `changes` or `timestamps`.
extension ReportView: ExpressibleByArgument {}
