// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "gcp2",
    products: [
        .executable(name: "gcp2", targets: ["gcp2"]),
        .library(name: "GCP2Core", targets: ["GCP2Core"]),
        .library(name: "GCP2Store", targets: ["GCP2Store"]),
        .library(name: "GCP2Report", targets: ["GCP2Report"]),
    ],
    targets: [
        // Domain: pure, no files and no clock.
        .target(name: "GCP2Core", swiftSettings: strict),
        // SHA-256 with the CPU's SHA instructions, chosen at run time (our own C; the store falls back to Swift).
        .target(name: "CSHA256"),
        // Persistence: documents, versions, locking, durable writes, audit chain, index.
        .target(name: "GCP2Store", dependencies: ["GCP2Core", "CSHA256"], swiftSettings: strict),
        // Reports: self-contained HTML with inline CSS and SVG, laid out from what the domain computed.
        .target(name: "GCP2Report", dependencies: ["GCP2Core"], swiftSettings: strict),
        // Command line: tokenise, bind, validate, run; streams passed in.
        .target(name: "GCP2CLI", dependencies: ["GCP2Core", "GCP2Store", "GCP2Report"], swiftSettings: strict),
        .executableTarget(name: "gcp2", dependencies: ["GCP2CLI"], swiftSettings: strict),
        // Synthetic stores and the full-scan baseline, for benchmarks and the scale test (not part of gcp2).
        .target(name: "GCP2Synth", dependencies: ["GCP2Store", "GCP2Core"], swiftSettings: strict),
        .executableTarget(name: "gcp2-synth", dependencies: ["GCP2Synth"], swiftSettings: strict),
        .executableTarget(name: "gcp2-bench", dependencies: ["GCP2Synth", "GCP2Store"], swiftSettings: strict),
        // Shared by every test target: temporary folders, store snapshots, a seeded generator, the `.slow` tag.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "GCP2CoreTests", dependencies: ["GCP2Core", "GCP2Store", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "GCP2StoreTests", dependencies: ["GCP2Store", "GCP2Core", "GCP2Synth", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "GCP2CLITests",
            dependencies: ["GCP2CLI", "GCP2Store", "GCP2Core", "GCP2Synth", "GCP2Report", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
