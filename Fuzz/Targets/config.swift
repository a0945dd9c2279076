// libFuzzer target: homeserver.yaml text through the whole config reader, in both modes.
import Foundation
@testable import Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    // The loader refuses bytes that are not UTF-8 before parsing; so does this.
    guard let text = String(data: Data(bytes: bytes, count: count), encoding: .utf8) else { return 0 }
    for mode in [ConfigLoader.Mode.verify, .minimal] {
        do {
            let config = try ConfigLoader.load(text: text, file: "fuzz.yaml", mode: mode)
            invariant(Reader.isValidServerName(config.serverName), "accepted server_name \(config.serverName)")
            invariant((4...31).contains(config.bcryptRounds), "accepted bcrypt_rounds \(config.bcryptRounds)")
            for duration in [config.sessionLifetimeMs, config.nonrefreshableAccessTokenLifetimeMs, config.accountValidityPeriodMs] {
                if let duration {
                    invariant((0...SynapseDuration.maximumMilliseconds).contains(duration), "accepted duration \(duration)")
                }
            }
            invariant(config.password.policy.minimumLength >= 0, "accepted a negative minimum_length")
        } catch {
            invariant(error.file == "fuzz.yaml" && !error.message.isEmpty, "error without file or message: \(error)")
            invariant(error.description.hasPrefix("fuzz.yaml"), "message not naming the file: \(error)")
        }
    }
    return 0
}
