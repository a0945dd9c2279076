import Foundation
import Testing
import TestSupport
@testable import register_new_matrix_user

/// The command line as Synapse's script and getopt read it: the spellings scripts use, the values
/// that look like options, and one message for each way a command line can be wrong.
@Suite struct CommandLineParserTests {
    static func command(_ arguments: [String]) throws -> RegisterCommand {
        guard case .run(let command, _) = try CommandLineParser.parse(arguments) else {
            throw UsageError("\(arguments) asked for something other than a run")
        }
        return command
    }

    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try CommandLineParser.parse(arguments)
            return nil
        } catch {
            return error.message
        }
    }

    @Test(arguments: [["-u", "alice"], ["-ualice"], ["-u=alice"], ["--user", "alice"], ["--user=alice"],
                      ["--user", "bob", "--user", "alice"]])
    func everySpellingOfAValue(arguments: [String]) throws {
        #expect(try Self.command(arguments).user == "alice")
    }

    @Test func shortFlagsGoTogetherAndTheLastOneMayTakeAValue() throws {
        let command = try Self.command(["-au", "alice"])
        #expect(command.admin && command.user == "alice")
        #expect(try Self.command(["-aualice"]).user == "alice")
        guard case .request(.help) = try CommandLineParser.parse(["-ah"]) else {
            Issue.record("-ah is -a and -h")
            return
        }
    }

    @Test func aSecretIsTakenWhateverItLooksLike() throws {
        #expect(try Self.command(["-p", "-x-", "--no-input"]).password == "-x-")
        #expect(try Self.command(["-p", "--help"]).password == "--help", "a password, not a request for help")
        #expect(try Self.command(["-k", "--no-input", "--no-input"]).sharedSecret == "--no-input")
        #expect(try Self.command(["--password", "-"]).password == "-")
    }

    /// Where the secrets are, for blanking them in the process list: `-apSECRET` as well as `-p SECRET`.
    @Test func theSecretsArePlaced() throws {
        let arguments = ["--verify-login", "-p", "one", "-apTWO", "--shared-secret=three", "-k=four", "--password", "five"]
        guard case .run(_, let secrets) = try CommandLineParser.parse(arguments) else {
            Issue.record("did not parse")
            return
        }
        let values = secrets.map { String(arguments[$0.argument].utf8.dropFirst($0.offset))! }
        #expect(values == ["one", "TWO", "three", "four", "five"])
    }

    @Test func aValueMayBeStdinOrANegativeNumberButNotAnOption() throws {
        #expect(try Self.command(["--password-file", "-"]).passwordFile == "-")
        #expect(Self.refusal(["--min-strength", "-1"]) == "--min-strength takes a score from 0 to 4")
        #expect(Self.refusal(["--user", "--no-input"]) == "Missing value for '--user <USER_ID>'")
        #expect(Self.refusal(["--display-name"]) == "Missing value for '--display-name <NAME>'")
    }

    @Test func configPathsAreCollectedInOrder() throws {
        #expect(try Self.command(["-c", "a.yaml", "--config", "b.yaml", "--config-path=c.yaml", "-cd.yaml"]).configPath
                == ["a.yaml", "b.yaml", "c.yaml", "d.yaml"])
        #expect(try Self.command([]).configPaths == ["homeserver.yaml"])
    }

    @Test func verifyLoginTakesAURLOrNothing() throws {
        #expect(try Self.command(["--verify-login"]).verifyLogin == .some(nil))
        #expect(try Self.command(["--verify-login", "-u", "a"]).verifyLogin == .some(nil))
        let explicit = try Self.command(["--verify-login", "https://matrix.example.org"])
        #expect(explicit.verifyLogin == .some("https://matrix.example.org") && explicit.serverURL == nil)
        let bare = try Self.command(["--verify-login", "server.example"])
        #expect(bare.verifyLogin == .some(nil) && bare.serverURL == "server.example", "no URL: the positional argument")
        #expect(Self.refusal(["--verify-login=matrix.example.org"])
                == "The value 'matrix.example.org' is invalid for '--verify-login <URL>': expected an http:// or https:// URL, or nothing for the config's client listener")
        #expect(try Self.command(["-u", "a"]).verifyLogin == nil)
    }

    @Test(arguments: [
        (["--frobnicate"], "Unknown option '--frobnicate'"),
        (["--pritn-token"], "Unknown option '--pritn-token'; did you mean '--print-token'?"),
        (["--dispaly-name", "A"], "Unknown option '--dispaly-name'; did you mean '--display-name'?"),
        (["--user-typ", "bot"], "Unknown option '--user-typ'; did you mean '--user-type'?"),
        (["--no-amdin"], "Unknown option '--no-amdin'; did you mean '--no-admin'?"),
        (["--jsn"], "Unknown option '--jsn'; did you mean '--json'?"),
        (["--rep"], "Unknown option '--rep'"),
        (["-z"], "Unknown option '-z'"),
        (["-az"], "Unknown option '-z'"),
        (["--no-input=yes"], "'--no-input' takes no value"),
        (["--jobs", "four", "--from-file", "f"], "The value 'four' is invalid for '--jobs <N>': expected a whole number"),
        (["https://a.example", "https://b.example"], "Unexpected argument 'https://b.example': only one SERVER_URL is taken"),
        (["--generate-completion-script", "tcsh"],
         "The value 'tcsh' is invalid for '--generate-completion-script <SHELL>': expected bash, zsh, fish"),
        (["--", "--user", "alice"], "Unexpected argument 'alice': only one SERVER_URL is taken"),
    ])
    func aWrongCommandLineIsNamed(arguments: [String], message: String) {
        #expect(Self.refusal(arguments) == message)
    }

    @Test func requestsAreAnsweredInsteadOfARun() throws {
        for (arguments, request) in [(["--version"], CommandLineRequest.version), (["-u", "a", "--help"], .help),
                                     (["--generate-completion-script=fish"], .completionScript("fish")),
                                     (["--experimental-dump-help"], .dumpHelp)] {
            guard case .request(let asked) = try CommandLineParser.parse(arguments) else {
                Issue.record("\(arguments) did not ask for \(request)")
                continue
            }
            #expect(asked == request)
        }
    }

    @Test func noTwoOptionsShareAName() {
        let names = CommandLineOptions.all.flatMap(\.names)
        #expect(Set(names).count == names.count)
        #expect(CommandLineOptions.all.allSatisfy { !$0.takesValue || !$0.valueName.isEmpty })
    }

    /// Command lines made of option names, fragments and values in every order: each one is
    /// either run or refused with a message, never a crash, and every secret found lies inside
    /// the argument it names. The generator is seeded, so a failure is repeatable.
    @Test func anyCommandLineIsReadOrRefused() throws {
        let names = CommandLineOptions.all.flatMap(\.names)
        let pieces = names + ["-", "--", "=", "-=", "--=", "-ap", "-pk", "-u=", "--user=", "x", "https://h", "-5",
                              "-.5", "é", "", "--backup=", "-\u{301}", "--\u{0}"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<5_000 {
            let arguments = (0..<next(7)).map { _ in
                next(4) == 0 ? pieces[next(pieces.count)] + pieces[next(pieces.count)] : pieces[next(pieces.count)]
            }
            do {
                if case .run(_, let secrets) = try CommandLineParser.parse(arguments) {
                    for secret in secrets {
                        #expect(arguments.indices.contains(secret.argument))
                        #expect(secret.offset <= arguments[secret.argument].utf8.count, "\(arguments)")
                    }
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }
}
