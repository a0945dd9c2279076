import FoundationEssentials
import Glibc
import Synchronization

/// What became of one row once writing ended.
package enum BulkOutcome: Sendable {
    case created(RegistrationResult)
    /// It existed before the run (with `--exists-ok`), or was created by someone else meanwhile.
    case exists(String)
    /// It was judged invalid; nothing was tried.
    case invalid([BulkProblem])
    /// Writing it failed, or it was never reached; the reason says which.
    case failed(String)
}

extension Registrar {
    /// Writes every valid entry of `judgement`, each in its own transaction, in the file's order,
    /// while `jobs` threads hash the passwords ahead of the writer.
    ///
    /// The database is only touched on the calling thread, and only for one account's rows at a
    /// time: no lock is held while bcrypt works, so a running Synapse keeps serving logins. An
    /// interruption (`isCancelled`) or a database that goes away ends the run between two
    /// accounts; the rest are reported as not written, and the same file run again with
    /// `--exists-ok` finishes them.
    ///
    /// - Parameter each: called on the calling thread with every row's outcome, in order.
    package func write(
        _ judgement: BulkJudgement, hasher: PasswordHasher, jobs: Int, isCancelled: () -> Bool = { false },
        each: (BulkEntry, BulkOutcome) -> Void
    ) {
        let work = judgement.entries.indices.filter { judgement.entries[$0].status == .create }
        let hashes = HashPipeline(
            passwords: work.map { judgement.entries[$0].request!.password }, hasher: hasher, jobs: jobs)
        defer { hashes.stop() }

        var next = 0  // position in `work`
        var stopped: String?
        for (index, entry) in judgement.entries.enumerated() {
            switch entry.status {
            case .invalid:
                each(entry, .invalid(entry.problems))
                continue
            case .exists(let name):
                each(entry, .exists(name))
                continue
            case .create:
                break
            }
            defer { next += 1 }
            precondition(work[next] == index)
            if stopped == nil, isCancelled() { stopped = "not written: the run was interrupted before this row" }
            if let stopped {
                each(entry, .failed(stopped))
                continue
            }
            guard let request = entry.request else { continue }
            let hash: String
            switch hashes.result(at: next) {
            case .success(let value): hash = value
            case .failure(let error):
                each(entry, .failed(error.message))
                continue
            }
            do {
                each(entry, .created(try register(request, passwordHash: hash, matchingExactly: true)))
            } catch RegistrationError.userExists(let existing) {
                each(entry, .failed("\(existing) was created by someone else during the run"))
            } catch let RegistrationError.database(error) where error.kind == .unavailable {
                each(entry, .failed(error.message))
                stopped = "not written: the database became unavailable at line \(entry.line)"
            } catch {
                each(entry, .failed("\(error)"))
            }
        }
    }
}

/// bcrypt on every core, a little ahead of the writer: results are taken in order, and workers
/// stop drawing new work once they are a few hashes ahead, so memory stays flat for any file.
final class HashPipeline: @unchecked Sendable {
    private let passwords: [Secret]
    private let hasher: PasswordHasher
    private let condition = Condition()
    // Guarded by `condition`.
    private var results: [Result<String, PasswordError>?]
    private var nextToHash = 0
    private var taken = 0
    private var isStopped = false
    private let lookahead: Int

    init(passwords: [Secret], hasher: PasswordHasher, jobs: Int) {
        self.passwords = passwords
        self.hasher = hasher
        self.results = Array(repeating: nil, count: passwords.count)
        let workers = max(1, min(jobs, passwords.count))
        self.lookahead = 4 * workers
        for _ in 0..<(passwords.isEmpty ? 0 : workers) {
            startThread(stackSize: 1 << 20) { [self] in work() }
        }
    }

    /// The hash of password `index`, waiting for a worker to finish it.
    func result(at index: Int) -> Result<String, PasswordError> {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        let result = results[index]!
        results[index] = .success("")  // taken: the hash is not kept longer than needed
        taken = index + 1
        condition.broadcast()
        return result
    }

    /// Lets the workers end after the hash they are on.
    func stop() {
        condition.lock()
        isStopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while !isStopped, nextToHash < passwords.count, nextToHash - taken >= lookahead { condition.wait() }
            guard !isStopped, nextToHash < passwords.count else {
                condition.unlock()
                return
            }
            let index = nextToHash
            nextToHash += 1
            condition.unlock()

            let result = Result { () throws(PasswordError) in try hasher.hash(passwords[index]) }

            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }
    }
}
