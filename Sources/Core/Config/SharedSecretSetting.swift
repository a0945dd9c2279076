import Foundation

/// Where the config keeps the secret that authorises registration through Synapse's admin API:
/// `registration_shared_secret`, or the file `registration_shared_secret_path` names.
///
/// Read from the config in every run but resolved (the file read) only when a registration goes
/// through Synapse, so a direct write never depends on it.
package enum SharedSecretSetting: Sendable {
    case inline(Secret)
    /// The path, and where in the config it was given (for messages).
    case file(path: String, at: ConfigError)

    /// The secret itself; the file's surrounding whitespace removed, as Synapse removes it.
    ///
    /// - Throws: ``ConfigError`` naming `registration_shared_secret_path` when the file cannot be
    ///   read or holds nothing but whitespace.
    package func resolve() throws(ConfigError) -> Secret {
        switch self {
        case .inline(let secret):
            return secret
        case .file(let path, let place):
            func fault(_ message: String) -> ConfigError {
                ConfigError(file: place.file, line: place.line, column: place.column, key: place.key, message: message)
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it (run as Synapse's user or root)" : "no such file"
                throw fault("\(path): \(reason)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw fault("\(path) is not UTF-8 text")
            }
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw fault("\(path) is empty; the secret it names must not be") }
            return Secret(secret)
        }
    }

    /// Both keys' names, for the message that says neither is set.
    package static let keys = "registration_shared_secret or registration_shared_secret_path"
}

extension Reader {
    /// `registration_shared_secret` or `registration_shared_secret_path`, as Synapse reads them:
    /// both set is an error, as Synapse refuses to start on it; neither set is an error only for a
    /// registration through Synapse, so it is returned, not thrown.
    func sharedSecretSetting() -> Result<SharedSecretSetting, ConfigError> {
        Result { () throws(ConfigError) -> SharedSecretSetting in
            let inline = root["registration_shared_secret"]
            let path = root["registration_shared_secret_path"]
            if let inline, let path {
                throw path.error("registration_shared_secret is set too; Synapse accepts only one of the two")
            }
            if let inline { return .inline(Secret(try inline.string())) }
            if let path { return .file(path: try path.string(), at: path.error("")) }
            throw root.missing(
                "registration_shared_secret",
                "not set, nor registration_shared_secret_path: registration through Synapse needs one (or pass -k SECRET)")
        }
    }
}
