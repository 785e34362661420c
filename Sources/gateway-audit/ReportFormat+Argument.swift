import ArgumentParser
import GatewayAudit

/// `report --format csv|html`.
extension ReportFormat: ExpressibleByArgument {}
