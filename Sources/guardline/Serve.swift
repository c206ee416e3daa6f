import ArgumentParser
import Foundation
import GuardlineCrypto
import GuardlineServer
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API and the console (migrates the database first).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Create the demo organization, accounts and ~1,000 contacts if they are not there yet.") var demo = false
    @Option(help: "PEM certificate chain; with --tls-key, serve HTTPS.") var tlsCertificate: String?
    @Option(help: "PEM private key for --tls-certificate.") var tlsKey: String?
    @Option(help: "Serve /metrics (only) on this port; without it or GUARDLINE_METRICS_TOKEN there are no metrics.")
    var metricsPort: Int?
    @Option(help: "Address the --metrics-port listener binds to (internal by default).")
    var metricsHost = "127.0.0.1"
    @Option(help: "Address of a reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are believed (repeatable).")
    var trustedProxy: [String] = []
    @Flag(help: "Clients reach Guardline only through a TLS-terminating proxy: cookies get Secure and __Host-, HSTS is sent.")
    var trustProxyTLS = false

    func validate() throws {
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("Give both --tls-certificate and --tls-key, or neither.")
        }
    }

    func run() async throws {
        let logger = Logger(label: "guardline")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var configuration = common.configuration(host: host, port: port, tlsCertificate: tlsCertificate, tlsKey: tlsKey)
        configuration.metricsPort = metricsPort
        configuration.trustedProxies = trustedProxy
        configuration.trustProxyTLS = trustProxyTLS
        // The demo writes messages to people into a file; anywhere else that takes GUARDLINE_OUTBOX=file.
        if demo { configuration.developmentOutbox = true }
        if let token = ProcessInfo.processInfo.environment["GUARDLINE_METRICS_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else { throw ValidationError("GUARDLINE_METRICS_TOKEN must be 16 characters or more.") }
            configuration.metricsToken = token
        }
        let services = try await GuardlineServices.open(configuration, logger: logger)
        do {
            if demo {
                let given = ProcessInfo.processInfo.environment["GUARDLINE_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
                let password = given ?? "demo-" + TokenHasher.newToken().dropFirst(3).prefix(16)
                if try await DemoSeeder(services).seed(password: password, logger: logger) {
                    print("Demo organization created. Sign in at http\(configuration.usesTLS ? "s" : "")://\(host):\(port)/login with:")
                    for account in DemoSeeder.accounts { print("  \(account.email)  (\(account.role.label))") }
                    print(given == nil ? "  password: \(password)" : "  password: the value of GUARDLINE_DEMO_PASSWORD")
                    print("Two-step sign-in is optional in the demo organization (each account may turn it on); a new organization requires it for admin and DPO.")
                } else {
                    print("Demo organization already present; its accounts keep the password they were created with.")
                }
            }
            let app = try await buildApplication(services: services, metrics: registry, logger: logger)
            logger.info("Guardline listening", metadata: ["guardline.address": "\(host):\(port)", "guardline.database": "\(configuration.store.data)"])
            var running: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app), .init(service: HeldErasureSweep(directory: services.contacts))]
            if let metricsPort {
                running.append(.init(service: buildMetricsApplication(host: metricsHost, port: metricsPort, metrics: registry, logger: logger)))
            }
            let group = ServiceGroup(configuration: .init(services: running, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            try? await services.shutdown()
            throw error
        }
        try await services.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let services = try await GuardlineServices.open(common.configuration(), logger: Logger(label: "guardline"))
        print("Database \(services.configuration.store.data) and key store \(services.configuration.store.keys) are up to date.")
        try await services.shutdown()
    }
}
