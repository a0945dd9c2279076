// libFuzzer target: --database-url values, and the password redaction of their descriptions.
import Foundation
@testable import Core

/// A password that must never appear in a description.
let marker = "S3cr3tMarker"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard !text.contains(marker) else { return 0 }
    switch DatabaseLocation.parse(url: text) {
    case .sqlite(let path):
        invariant(!path.isEmpty && path != ":memory:", "accepted SQLite path \(path.debugDescription)")
        invariant(text == "sqlite:" + path || text == "sqlite://" + path, "path \(path) is not the URL's")
    case .postgres(.conninfo(let conninfo)):
        invariant(conninfo == text, "the conninfo is not the URL given")
    case .postgres(.keywords):
        broken("a URL parsed to keywords")
    case nil:
        break
    }
    // Whatever else the URL holds, a password added to it is hidden in messages.
    var withPassword: [String] = ["postgresql://h/db?" + text + "&password=" + marker]
    // Pairs only where libpq reads pairs: in a URI, " password=" is part of some other component.
    if !text.hasPrefix("sqlite:") && DatabaseLocation.uriPrefix(of: text) == nil {
        withPassword.append(text + " password=" + marker)
    }
    // By scalars, as libpq reads bytes: "@" with a combining mark is still an "@" to libpq.
    let user = String(String.UnicodeScalarView(text.unicodeScalars.filter { !"@/:?#".unicodeScalars.contains($0) }))
    withPassword.append("postgresql://" + user + ":" + marker + "@" + text)
    for url in withPassword {
        guard let location = DatabaseLocation.parse(url: url) else { continue }
        invariant(!location.description.contains(marker), "password shown in: \(location.description)")
    }
    return 0
}
