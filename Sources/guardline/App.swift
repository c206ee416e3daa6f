import ArgumentParser

@main
struct Guardline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guardline",
        abstract: "Guardline: the GDPR-first contact-center data platform.",
        subcommands: [Serve.self, Migrate.self, Users.self, Audit.self, Keys.self, Import.self, Redact.self],
        defaultSubcommand: Serve.self)
}
