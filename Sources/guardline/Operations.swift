import ArgumentParser
import Foundation
import GuardlineCore
import GuardlineServer
import GuardlineStore
import Logging

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with the audit chain.", subcommands: [Verify.self, PublicKey.self])

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key",
            abstract: "Print the Ed25519 public key that verifies audit checkpoints (hex); a verifier needs no secret.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let services = try await GuardlineServices.open(common.configuration(), logger: Logger(label: "guardline"))
            print(services.ring.checkpointSigner.publicKey.hex)
            try await services.shutdown()
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every organization's audit chain; exit non-zero naming the first altered, missing or reordered entry.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let services = try await GuardlineServices.open(common.configuration(), logger: Logger(label: "guardline"))
            var broken = false
            for org in try await services.organizations.all() {
                let report = try await services.verification.verify(org: org.id)
                if let failure = report.failure {
                    broken = true
                    print("BROKEN  \(org.name): first bad entry is #\(failure.seq): \(failure.problem) (\(report.checked) entries verified before it)")
                } else {
                    let checkpoint = report.lastCheckpointSeq.map { ", last signed checkpoint at #\($0)" } ?? ""
                    print("intact  \(org.name): \(report.checked) entries\(checkpoint)")
                }
            }
            try await services.shutdown()
            if broken { throw ExitCode(2) }
        }
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect keys.", subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where the master key and key store are, and how many subject keys exist.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let services = try await GuardlineServices.open(common.configuration(), logger: Logger(label: "guardline"))
            let count = try await SubjectKeyVault(services.keys).count()
            print("master key:        \(services.keyLocation) (key id \(String(format: "%08x", services.ring.masterKeyID)))")
            print("key store:         \(services.configuration.store.keys)")
            print("subject keys:      \(count)")
            print("audit signing key: ed25519 \(services.ring.checkpointSigner.publicKey.hex)")
            try await services.shutdown()
        }
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage staff accounts.", subcommands: [Create.self, ResetTwoStep.self])

    struct ResetTwoStep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-two-step",
            abstract: "Turn off a person's two-step sign-in (a lost phone); they set it up again at their next console sign-in.")

        @OptionGroup var common: CommonOptions
        @Option(help: "Email address of the account.") var email: String
        @Option(help: "Organization name (needed when the address has accounts in several).") var organization: String?

        func run() async throws {
            let services = try await GuardlineServices.open(common.configuration(), logger: Logger(label: "guardline"))
            do {
                var matches: [StaffUser] = []
                for org in try await services.organizations.all() where organization == nil || org.name == organization {
                    matches += try await services.users.all(org: org.id).filter { $0.email == email.lowercased() }
                }
                guard matches.count == 1, let user = matches.first else {
                    throw ValidationError(matches.isEmpty ? "No account with that email." : "That email has accounts in several organizations; add --organization.")
                }
                try await MFAStore(services.data).remove(user: user.id, org: user.orgID)
                try await services.audit.append(AuditRecord(
                    by: .system, org: user.orgID, at: services.clock.now, action: "auth.mfa_reset", context: "user \(user.id), by the command line"))
                print("Two-step sign-in is off for \(user.id); it is set up again at the next console sign-in where the role requires it.")
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account; creates the organization if there is none. Reads the password from standard input.")

        @OptionGroup var common: CommonOptions
        @Option(help: "Email address (the sign-in name).") var email: String
        @Option(help: "Full name.") var name: String
        @Option(help: "admin, dpo, supervisor or agent.") var role: String = "admin"
        @Option(help: "Organization name (default: the only one, or a new one named so).") var organization: String = "Guardline"
        @Option(help: "Access profile name (default: by role: Administration, Data Protection, Supervision; none for agents).") var profile: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be admin, dpo, supervisor or agent.") }
            guard let password = readLine(strippingNewline: true), (try? TextRules.password(password)) != nil else {
                throw ValidationError("Pipe a password of 12 to 256 characters on standard input.")
            }
            let services = try await GuardlineServices.open(common.configuration(), logger: Logger(label: "guardline"))
            do {
                let orgs = try await services.organizations.all()
                var org = try await services.organizations.find(named: organization)
                if org == nil { org = orgs.count == 1 ? orgs[0] : try await services.organizations.create(name: organization, clock: services.clock) }
                guard let org else { return }
                let profiles = try await services.profiles.all(org: org.id)
                let profileName = profile ?? ["admin": "Administration", "dpo": "Data Protection", "supervisor": "Supervision"][role.rawValue]
                let profileID = try profileName.map { name in
                    guard let found = profiles.first(where: { $0.name == name }) else { throw ValidationError("No access profile named '\(name)'.") }
                    return found.id
                }
                guard let address = EmailAddress(email) else { throw ValidationError("--email is not a valid address.") }
                let user = StaffUser(
                    id: .make(), orgID: org.id, email: address.normalized, name: name, role: role, teamID: nil,
                    profileID: profileID, disabled: false, createdAt: services.clock.now)
                try await services.users.create(user, passwordHash: try await services.passwords.hash(password))
                try await services.audit.append(AuditRecord(
                    by: .system, org: org.id, at: services.clock.now, action: "user.create",
                    context: "user \(user.id), role \(role.rawValue), by the command line"))
                print("Created \(role.label.lowercased()) \(user.id) in \(org.name).")
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data from files.", subcommands: [Contacts.self])

    struct Contacts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import contacts from a CSV file with consent columns; the whole file is checked first and nothing is stored if a row is bad.",
            discussion: """
                Columns: the catalog's field keys (name, phone, email, ...), an optional 'stage', and consent:<purpose>:<channel> \
                holding granted, refused or nothing. Each consent is recorded with the file's SHA-256 and its line as evidence. \
                The import runs as the staff member named by --as (their profile must let them create contacts and record consent), \
                and is audited as them, with the operating-system user who ran the command.
                """)

        @OptionGroup var common: CommonOptions
        @Argument(help: "The CSV file (UTF-8, first line names the columns).") var file: String
        @Option(name: .customLong("as"), help: "Email of the staff member the import runs as.") var email: String
        @Option(help: "Organization name (needed when the address has accounts in several).") var organization: String?
        @Flag(help: "Store the valid rows even if some rows are bad (they are listed in the report).") var validOnly = false
        @Option(help: "Where to write the report of rows not imported (line, reason); default FILE.problems.csv when there are any.")
        var report: String?

        func run() async throws {
            // Measured before it is read: a file over the limit is refused without loading it.
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > ContactImport.maxBytes {
                throw ValidationError("\(file) is larger than \(ContactImport.maxBytes / 1024 / 1024) MB; split it.")
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
            let services = try await GuardlineServices.open(common.configuration(), logger: Logger(label: "guardline"))
            let refused: Bool
            do {
                var matches: [StaffUser] = []
                for org in try await services.organizations.all() where organization == nil || org.name == organization {
                    matches += try await services.users.all(org: org.id).filter { $0.email == email.lowercased() }
                }
                guard matches.count == 1, let user = matches.first else {
                    throw ValidationError(matches.isEmpty ? "No account with that email." : "That email has accounts in several organizations; add --organization.")
                }
                let principal = try await services.authenticator.operatorPrincipal(for: user)
                // Whoever runs the command on the server acts as the staff member named; the entries say who ran it.
                // From the process's own user id, not from the environment its runner sets.
                let operatorName = getpwuid(getuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(getuid())"
                let shown = operatorName.prefix(32).filter { $0.isLetter || $0.isNumber || "._- ".contains($0) }
                let result = try await services.imports.run(data, validOnly: validOnly, by: principal, channel: "command line by OS user \(shown.isEmpty ? "unknown" : String(shown))")
                print("\(file): \(result.rows) rows, \(result.imported) imported, \(result.problems.count) with problems (\(result.fileHash))")
                if !result.problems.isEmpty {
                    let path = report ?? file + ".problems.csv"
                    try Data(result.problemsCSV.utf8).write(to: URL(fileURLWithPath: path))
                    for problem in result.problems.prefix(20) { print("  line \(problem.line): \(problem.reason)") }
                    if result.problems.count > 20 { print("  ... and \(result.problems.count - 20) more") }
                    print(result.imported == 0 && !validOnly
                        ? "Nothing was stored. Fix the rows, or pass --valid-only to store the others. Report: \(path)"
                        : "Report of the rows not imported: \(path)")
                }
                refused = !result.problems.isEmpty && !validOnly
            } catch let error as GuardlineError {
                try? await services.shutdown()
                throw ValidationError(error.message)
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
            if refused { throw ExitCode(1) }
        }
    }
}
