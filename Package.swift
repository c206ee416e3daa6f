// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "guardline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "guardline", targets: ["guardline"]),
        .library(name: "GuardlineServer", targets: ["GuardlineServer"]),
        .library(name: "GuardlineCore", targets: ["GuardlineCore"]),
        .library(name: "GuardlineCrypto", targets: ["GuardlineCrypto"]),
        .library(name: "GuardlineStore", targets: ["GuardlineStore"]),
    ],
    dependencies: [
        // Default traits off: with them SwiftPM reorders trait flags and Hummingbird rebuilds on many edits.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "GuardlineCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GuardlineCrypto",
            dependencies: ["GuardlineCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GuardlineStore",
            dependencies: [
                "GuardlineCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                // Its lock (a plain pthread mutex): Synchronization's Mutex on Linux is a priority-
                // inheritance futex that hands the lock over on contention, which convoys two busy threads.
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GuardlineAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.json")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "GuardlineServer",
            dependencies: [
                "GuardlineCore", "GuardlineCrypto", "GuardlineStore", "GuardlineAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "guardline",
            dependencies: [
                "GuardlineServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GuardlineCoreTests", dependencies: ["GuardlineCore"], swiftSettings: swiftSettings),
        .testTarget(name: "GuardlineCryptoTests", dependencies: ["GuardlineCrypto"], swiftSettings: swiftSettings),
        // Throwaway databases for tests: a temporary SQLite folder, or a fresh
        // database on the PostgreSQL server named by GUARDLINE_TEST_POSTGRES_URL.
        .target(
            name: "GuardlineTestSupport",
            dependencies: ["GuardlineStore", .product(name: "PostgresKit", package: "postgres-kit")],
            path: "Tests/GuardlineTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GuardlineStoreTests",
            dependencies: ["GuardlineStore", "GuardlineCrypto", "GuardlineTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GuardlineServerTests",
            dependencies: [
                "GuardlineServer", "GuardlineTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
