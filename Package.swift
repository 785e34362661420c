// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "gateway-audit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GatewayAudit", targets: ["GatewayAudit"]),
        .library(name: "GatewayAuditCore", targets: ["GatewayAuditCore"]),
        .library(name: "VPNSimulator", targets: ["VPNSimulator"]),
        .executable(name: "gateway-audit", targets: ["gateway-audit"]),
        .executable(name: "vpn-simulator", targets: ["vpn-simulator"]),
        .executable(name: "gateway-audit-bench", targets: ["gateway-audit-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Layers, lowest first; each target is a folder whose dependencies differ (DESIGN.md), so the
        // compiler holds the arrows: Core ← Client, Core ← Store ← Report, Core ← Analyse, and
        // GatewayAudit (collect) on top of all of them.
        .target(
            name: "GatewayAuditCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "GatewayAuditClient",
            dependencies: [
                "GatewayAuditCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The system zlib: the SQLite store deflates snapshot content with a preset dictionary.
        .systemLibrary(name: "CZlib"),
        .target(
            name: "GatewayAuditStore",
            dependencies: [
                "GatewayAuditCore",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "GatewayAuditAnalyse",
            dependencies: ["GatewayAuditCore"]
        ),
        .target(
            name: "GatewayAuditReport",
            dependencies: [
                "GatewayAuditCore",
                "GatewayAuditStore",
                "GatewayAuditAnalyse",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "GatewayAudit",
            dependencies: [
                "GatewayAuditCore",
                "GatewayAuditClient",
                "GatewayAuditStore",
                "GatewayAuditAnalyse",
                "GatewayAuditReport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Operations around a run: Prometheus text for the textfile collector (its own target: it is the
        // only user of swift-prometheus), then heartbeats, notifications and the run digest.
        .target(
            name: "GatewayAuditMetrics",
            dependencies: [
                "GatewayAuditCore",
                "GatewayAuditStore",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "GatewayAuditOperations",
            dependencies: [
                "GatewayAudit",
                "GatewayAuditMetrics",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "VPNSimulator",
            dependencies: [
                "GatewayAuditCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The estate: a TOML file of accounts, regions and projects, and one run over all their scopes.
        .target(
            name: "GatewayAuditEstate",
            dependencies: [
                "GatewayAudit",
                "GatewayAuditCore",
                "GatewayAuditClient",
                "GatewayAuditStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "GatewayAuditDemo",
            dependencies: [
                "GatewayAudit",
                "GatewayAuditEstate",
                "VPNSimulator",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "vpn-simulator",
            dependencies: [
                "VPNSimulator",
                "GatewayAuditCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "gateway-audit",
            dependencies: [
                "GatewayAudit",
                "GatewayAuditEstate",
                "GatewayAuditOperations",
                "GatewayAuditDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "gateway-audit-bench",
            dependencies: [
                "GatewayAudit",
                "GatewayAuditEstate",
                "VPNSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Only for the floor row that measures the HTTP client the collector used before its own.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // What the two test targets share: the PostgreSQL server they test against, and the sqlite3 shell.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "GatewayAuditTests",
            dependencies: [
                "TestSupport",
                "GatewayAudit",
                "GatewayAuditEstate",
                "GatewayAuditMetrics",
                "GatewayAuditOperations",
                "VPNSimulator",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport",
                "gateway-audit",
                "vpn-simulator",
                "GatewayAudit",
                "GatewayAuditEstate",
                "GatewayAuditDemo",
                "GatewayAuditOperations",
                "VPNSimulator",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "VPNSimulatorTests",
            dependencies: [
                "VPNSimulator",
                "GatewayAudit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
