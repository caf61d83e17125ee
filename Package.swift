// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "tk8s",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tk8s", targets: ["repl"]),
        // The value type and its codecs, for embedders and fuzz/ that read or write values without the interpreter.
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Lang", targets: ["Lang"]),
        // The Jinja engine on its own, for fuzz/ and embedders that render templates without Tutor's filters.
        .library(name: "Template", targets: ["Template"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        // For fuzz/ (a package of its own) and anyone embedding a sandbox in their tests.
        .library(name: "Sandbox", targets: ["Sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    ],
    targets: [
        // What Lang, the template engine, Runtime and the sandbox all need and nothing more: `Value`, its JSON and
        // YAML codecs, source text and spans, atomic file writes and the string helpers. Its own target so the
        // sandbox (and the template engine) link a value type and a JSON codec, not the interpreter (docs/core.md).
        .target(
            name: "Core",
            dependencies: [
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Lang",
            dependencies: [
                "Core",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // The Jinja-compatible template engine (docs/template.md): lexer, parser, renderer, Jinja's own filters and
        // tests. Its own target, like Jinja2 is its own package: it needs values, not the interpreter, and its tests
        // against real Jinja2 build without Runtime. Tutor's filters and the project's templates stay in Runtime.
        .target(
            name: "Template",
            dependencies: [
                "Core",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "Runtime",
            dependencies: [
                "Core", "Lang", "Template",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                // The `http` builtin's client (health checks): the NIO the Sandbox already builds, rather than
                // async-http-client or FoundationNetworking, which would add build time and, in the statically
                // linked release binary, libcurl.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Templates"), .copy("Bridge")]
        ),
        // An in-memory Kubernetes API server that the real kubectl talks to (docs/sandbox.md).
        .target(
            name: "Sandbox",
            dependencies: [
                "Core",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                // HTTPS for kubectl, which sends the sandbox's bearer token over TLS only.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libedit for the REPL: Debian's libedit-dev, plus plain C wrappers for its variadic calls.
        .systemLibrary(name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "CEditShim", dependencies: ["CLibEdit"]),
        .executableTarget(
            name: "repl",
            dependencies: [
                "Core",
                "Lang",
                "Runtime",
                "Sandbox",
                "CLibEdit",
                "CEditShim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LangTests",
            dependencies: ["Core", "Lang"],
            resources: [.copy("Golden")]
        ),
        // Drives the built `tk8s` binary in a real terminal (tmux), so it links none of the modules.
        .testTarget(name: "REPLTests"),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "Lang", "Core", "Template",
                // A sandbox is the https server of the `http` tests (its own certificate authority).
                "Sandbox", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        // Runs the real kubectl against the sandbox on 127.0.0.1.
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Core", "TestSupport"]),
        // The template engine against real Jinja2 (Fixtures/jinja), its diagnostics and limits, without Tutor.
        .testTarget(name: "TemplateTests", dependencies: ["Template", "Core"], resources: [.copy("Fixtures")]),
        // What several test targets need: a tiny HTTP server on 127.0.0.1 (the `http` tests, the health-check example).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ]
)
