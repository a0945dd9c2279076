import FoundationEssentials
import Glibc

/// One line of the audit trail: an event word, then `key=value` fields in the order added.
///
/// The line is what an admin greps for in `auth.log` or the journal long after the run, so its
/// shape is an interface: the event comes first, keys are fixed lower-case words, and a value
/// that is more than a plain token is quoted and escaped. A user ID read from a file, a database
/// path or an environment variable therefore cannot end the line, fake a field or send escape
/// codes to the terminal of whoever reads the log.
///
/// There is no field for a secret, and none should be added: records are made from what
/// describes an account (its ID, admin flag, user type, device, expiry), never from the
/// request's password, the hash or the token.
package struct AuditRecord: Sendable, Equatable {
    /// What happened to the account, and the first word of the line.
    package enum Event: String, Sendable {
        /// The account was written.
        case created
        /// The account existed and `--exists-ok` asked for nothing to change.
        case unchanged
        /// The rules refused it (taken, password, usage): nothing was written.
        case refused
        /// The run was stopped by a signal or Esc before anything was written.
        case cancelled
        /// Writing failed (database, internal error): nothing was written for this account.
        case failed
    }

    package struct Field: Sendable, Equatable {
        package let key: String
        package let value: String
    }

    package let event: Event
    package private(set) var fields: [Field] = []

    /// Values longer than this are cut: a line stays well inside what syslog daemons accept
    /// (rsyslog's default is 8 KiB) whatever a bulk file's row holds.
    package static let maximumValueLength = 512

    package init(_ event: Event) {
        self.event = event
    }

    /// Adds `key=value`; a nil value adds nothing, so optional facts need no `if` at the call site.
    package mutating func add(_ key: String, _ value: String?) {
        precondition(!key.isEmpty && key.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "_") },
                     "audit keys are fixed lower-case words")
        guard let value else { return }
        fields.append(Field(key: key, value: value))
    }

    package mutating func add(_ key: String, _ flag: Bool?) {
        add(key, flag.map { $0 ? "yes" : "no" })
    }

    /// The line as logged: `created user=@alice:example.org admin=no … outcome=created`.
    package var line: String {
        ([event.rawValue] + fields.map { "\($0.key)=\(Self.quoted($0.value))" }).joined(separator: " ")
    }

    /// `value` as it may stand in a line: bare when it holds only characters that cannot be
    /// mistaken for syntax, else in double quotes with `\` and `"` escaped and everything outside
    /// printable ASCII written as `\n`, `\r`, `\t` or `\u{…}` (which also defuses bidirectional
    /// overrides and C1 controls that would make a line read differently than it parses).
    package static func quoted(_ value: String) -> String {
        var scalars = Array(value.unicodeScalars)
        let cut = scalars.count > maximumValueLength
        if cut { scalars.removeLast(scalars.count - maximumValueLength) }
        if !cut, !scalars.isEmpty, scalars.allSatisfy(isBare) { return value }
        var text = "\""
        for scalar in scalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case " "..."~": text.unicodeScalars.append(scalar)
            default: text += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return text + (cut ? "...\"" : "\"")
    }

    private static func isBare(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "@", ":", ".", "_", "/", "+", "-", ",", "~": true
        default: false
        }
    }
}

/// Who ran the tool, as the audit trail records it.
///
/// The real uid and the login uid come from the kernel; `SUDO_USER` and the SSH client come
/// from the environment, so they are as trustworthy as the invoker (sudo sets the first;
/// sudo's default `env_reset` drops `SSH_CONNECTION`, so behind sudo the address is usually
/// absent while the login uid still names the person who logged in).
package struct AuditInvoker: Sendable, Equatable {
    package var uid: UInt32
    /// The audit login uid (`/proc/self/loginuid`), kept across sudo and su; nil when unset.
    package var loginUID: UInt32?
    package var sudoUser: String?
    /// The first field of `SSH_CONNECTION` (else `SSH_CLIENT`): the client's address.
    package var sshClient: String?

    /// - Parameter loginUID: the login uid as the kernel gives it; `4294967295` means unset.
    package init(uid: UInt32, loginUID: UInt32?, environment: [String: String]) {
        self.uid = uid
        self.loginUID = loginUID == UInt32.max ? nil : loginUID
        self.sudoUser = environment["SUDO_USER"].flatMap { $0.isEmpty ? nil : $0 }
        let ssh = environment["SSH_CONNECTION"] ?? environment["SSH_CLIENT"]
        self.sshClient = ssh?.split(separator: " ").first.map(String.init)
    }

    /// This process's: its real uid (not the database owner's effective one the tool may take
    /// on), its login uid, and the environment's sudo and SSH variables (read alone, with
    /// `getenv`: the whole environment as a dictionary costs more than the rest of the record).
    package static var current: AuditInvoker {
        let loginUID = (try? String(contentsOfFile: "/proc/self/loginuid", encoding: .utf8))
            .flatMap { UInt32($0.trimmingWhitespace()) }
        var environment: [String: String] = [:]
        for name in ["SUDO_USER", "SSH_CONNECTION", "SSH_CLIENT"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return AuditInvoker(uid: getuid(), loginUID: loginUID, environment: environment)
    }

    /// Adds `uid`, then `login_uid`, `sudo_user` and `ssh_client` when known.
    package func add(to record: inout AuditRecord) {
        record.add("uid", String(uid))
        record.add("login_uid", loginUID.map { String($0) })
        record.add("sudo_user", sudoUser)
        record.add("ssh_client", sshClient)
    }
}
