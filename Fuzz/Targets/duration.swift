// libFuzzer target: Synapse config durations and --token-validity.
import Foundation
@testable import Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    if let milliseconds = try? SynapseDuration.milliseconds(text) {
        invariant((0...SynapseDuration.maximumMilliseconds).contains(milliseconds), "\(text) gave \(milliseconds)")
        invariant(!now.addingReportingOverflow(milliseconds).overflow, "now + \(milliseconds) overflows")
        // Digits alone are milliseconds, so the value written out reads back the same.
        invariant((try? SynapseDuration.milliseconds(String(milliseconds))) == milliseconds, "\(milliseconds) does not re-parse")
    }
    if let milliseconds = try? SynapseDuration.tokenValidity(text) {
        invariant((1...SynapseDuration.maximumMilliseconds).contains(milliseconds), "\(text) gave \(milliseconds)")
        invariant(!now.addingReportingOverflow(milliseconds).overflow, "now + \(milliseconds) overflows")
    }
    // The wizard's days: any Int the field could hold.
    if count >= 8 {
        let days = UnsafeRawPointer(bytes).loadUnaligned(as: Int.self)
        if let milliseconds = try? SynapseDuration.milliseconds(days: days) {
            invariant((1...SynapseDuration.maximumMilliseconds).contains(milliseconds), "\(days) days gave \(milliseconds)")
        }
    }
    return 0
}
