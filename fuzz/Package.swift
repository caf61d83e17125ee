// swift-tools-version: 5.10
import PackageDescription

// libFuzzer targets for tk8s (docs/fuzzing.md). A package of its own, depending on the root by path, because an
// executable whose `main` comes from libFuzzer breaks a plain `swift build` of the root package. Build and run with
// `fuzz/run.sh TARGET SECONDS` (it passes `--sanitize fuzzer --sanitize address`).
let package = Package(
    name: "tk8s-fuzz",
    dependencies: [
        .package(name: "tk8s", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // What every target shares: turning libFuzzer's bytes into text, and how a broken invariant is reported.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "fuzz-script", dependencies: ["FuzzSupport", .product(name: "Core", package: "tk8s"), .product(name: "Lang", package: "tk8s"),
                                                             .product(name: "Runtime", package: "tk8s")]),
        .executableTarget(name: "fuzz-template", dependencies: ["FuzzSupport", .product(name: "Core", package: "tk8s"), .product(name: "Template", package: "tk8s"),
                                                               .product(name: "OrderedCollections", package: "swift-collections"),
                                                               // Tutor's filters, which templates call.
                                                               .product(name: "Runtime", package: "tk8s")]),
        .executableTarget(name: "fuzz-yaml", dependencies: ["FuzzSupport", .product(name: "Core", package: "tk8s")]),
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzSupport", .product(name: "Core", package: "tk8s")]),
        .executableTarget(name: "fuzz-protobuf", dependencies: ["FuzzSupport", .product(name: "Core", package: "tk8s"),
                                                               .product(name: "Sandbox", package: "tk8s")]),
        .executableTarget(name: "fuzz-http", dependencies: [
            "FuzzSupport", .product(name: "Core", package: "tk8s"), .product(name: "Sandbox", package: "tk8s"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
    ]
)
