// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "register_new_matrix_user",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "register_new_matrix_user", targets: ["register_new_matrix_user"]),
        // The strength estimator stands alone: zxcvbn 4.5's model and data, no config, no database.
        .library(name: "Zxcvbn", targets: ["Zxcvbn"]),
    ],
    targets: [
        // MARK: - C libraries, imported through module maps (no pkg-config: SwiftPM drops its -D flags)
        .systemLibrary(name: "CSQLite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CXCrypt", providers: [.apt(["libcrypt-dev"])]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The YAML parser PyYAML's C loader uses; the node tree is built in Core/Config.
        .systemLibrary(name: "CYAML", providers: [.apt(["libyaml-dev"])]),
        .target(name: "CCursesShim", dependencies: ["CNcursesw"]),
        // libcurl's headers and calls to its variadic setters; the library is dlopen'ed (Core/HTTP).
        .target(name: "CCurlShim"),
        // libcrypto's HMAC for registration through Synapse; the library is dlopen'ed (Core/HTTP).
        .target(name: "CCryptoShim"),
        // syslog(3) with the audit trail's message as its one argument.
        .target(name: "CSyslogShim"),

        // MARK: - Swift
        .target(name: "Zxcvbn"),
        .target(
            name: "Core",
            dependencies: ["Zxcvbn", "CSQLite3", "CLibPQ", "CXCrypt", "CCurlShim", "CCryptoShim", "CYAML"]
        ),
        .target(name: "TUI", dependencies: ["Core", "Zxcvbn", "CNcursesw", "CCursesShim"]),
        .executableTarget(
            name: "register_new_matrix_user",
            dependencies: ["Core", "TUI", "CSyslogShim"]
        ),
        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["Core"], path: "Tests/Support"),
        .testTarget(name: "ZxcvbnTests", dependencies: ["Zxcvbn"]),
        .testTarget(name: "CoreTests", dependencies: ["Core", "Zxcvbn", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["register_new_matrix_user", "Core", "TestSupport"]),
        // The wizard against an in-memory backend: for the tmux tests, captures and the benchmark.
        .executableTarget(name: "wizard-demo", dependencies: ["TUI", "Core"], path: "Tests/WizardDemo"),
        .testTarget(name: "TUITests", dependencies: ["TUI", "Core", "wizard-demo", "register_new_matrix_user", "TestSupport"], exclude: ["Snapshots"]),

        // MARK: - Benchmarks (not a product; see benchmarks/strength/run.sh)
        .executableTarget(name: "strength-bench", dependencies: ["Zxcvbn"], path: "benchmarks/strength/Sources"),
    ]
)
