import Foundation
import Core
import TestSupport

extension TemporaryDirectory {
    /// What the config reader says of `yaml` as `homeserver.yaml` in this directory, with the
    /// directory left out of the message; nil when the file is accepted.
    func configRefusal(_ yaml: String) -> String? {
        do {
            _ = try ConfigLoader.load(paths: [write("homeserver.yaml", yaml)])
            return nil
        } catch {
            return error.description.replacingOccurrences(of: path + "/", with: "")
        }
    }
}
