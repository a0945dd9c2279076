// libFuzzer target: user IDs as typed with -u or in the wizard, through Synapse's rules.
import Foundation
@testable import Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    var rules = UserIDRules(serverName: "example.org")
    // The first byte decides the config switch, so both settings are explored.
    rules.allowUnderscorePrefix = count > 0 && bytes[0] & 1 == 1
    rules.serverNoticesLocalpart = "notices"
    do {
        let userID = try rules.parse(input)
        let localpart = userID.localpart
        invariant(!localpart.isEmpty && localpart.unicodeScalars.allSatisfy(UserIDRules.allowed.contains),
                     "accepted localpart \(localpart.debugDescription)")
        invariant(userID.serverName == "example.org", "accepted server \(userID.serverName)")
        invariant(userID.description.unicodeScalars.count <= UserIDRules.maximumLength, "accepted an ID too long")
        invariant(localpart != "notices", "accepted the server notices localpart")
        // What was accepted is accepted again, in either spelling, as the same ID.
        invariant((try? rules.parse(userID.description)) == userID, "\(userID) does not re-parse to itself")
        invariant((try? rules.parse(localpart)) == userID, "\(localpart) does not parse to \(userID)")
    } catch {
        invariant(!error.message.isEmpty && !error.code.isEmpty, "an error without a message or code")
    }
    return 0
}
