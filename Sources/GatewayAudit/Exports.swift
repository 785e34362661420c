// The library's API in one import: `import GatewayAudit` brings the core types, the client, the store,
// the analysis and the reports, while each layer stays its own target so the compiler holds the arrows.
@_exported import GatewayAuditAnalyse
@_exported import GatewayAuditClient
@_exported import GatewayAuditCore
@_exported import GatewayAuditReport
@_exported import GatewayAuditStore
