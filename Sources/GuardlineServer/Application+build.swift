import Foundation
import GuardlineAPI
import GuardlineCore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import OpenAPIHummingbird
import Prometheus

/// Builds the application: router, middleware and server (TLS when
/// configured). The one place where Guardline's parts are wired together.
public func buildApplication(
    services: GuardlineServices, metrics: PrometheusCollectorRegistry? = nil, logger: Logger
) async throws -> some ApplicationProtocol {
    let configuration = services.configuration
    let router = try await buildRouter(services: services, metrics: metrics)
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        server = try .tls(.http1(), tlsConfiguration: tls)
    } else {
        server = .http1()
    }
    return Application(
        router: router, server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Guardline"),
        logger: logger)
}

/// The listener for `--metrics-port`: `/metrics` and nothing else, for a scraper
/// on an internal network; the public port does not serve metrics without a token.
public func buildMetricsApplication(
    host: String, port: Int, metrics: PrometheusCollectorRegistry, logger: Logger
) -> some ApplicationProtocol {
    let router = Router()
    router.get("/metrics") { _, _ in metricsResponse(metrics) }
    return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Guardline metrics"), logger: logger)
}

private func metricsResponse(_ metrics: PrometheusCollectorRegistry?) -> Response {
    var buffer = [UInt8]()
    metrics?.emit(into: &buffer)
    return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
}

public func buildRouter(services: GuardlineServices, metrics: PrometheusCollectorRegistry? = nil) async throws -> Router<GuardlineRequestContext> {
    let document = try OpenAPIDocument.load()
    let router = Router(context: GuardlineRequestContext.self)
    router.add(middleware: RequestOriginMiddleware(
        serverTLS: services.configuration.usesTLS, trustedProxies: Set(services.configuration.trustedProxies),
        trustProxyTLS: services.configuration.trustProxyTLS))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ErrorResponder(apiRoutes: try APIRoutes(document: document)))
    router.add(middleware: BodyLimitMiddleware(limit: services.configuration.maxBodyBytes, recordingLimit: services.configuration.maxRecordingBytes))
    if let directory = ConsoleResources.directory("static") {
        router.add(middleware: FileMiddleware(directory, urlBasePath: "/static", logger: Logger(label: "guardline.static")))
    }

    router.get("/health") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    // On the public port only for a scraper holding the metrics token; otherwise on `--metrics-port`.
    if let token = services.configuration.metricsToken {
        router.get("/metrics") { request, _ in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
                  ConsoleSessionMiddleware.constantTimeEqual(String(header.dropFirst(7)), token)
            else { throw GuardlineError(.unauthorized, "Metrics need 'Authorization: Bearer <metrics token>'.") }
            return metricsResponse(metrics)
        }
    }

    let api = router.group("/api/v1")
    api.get("/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
    }
    api.add(middleware: JSONNullMiddleware())
    api.add(middleware: BearerAuthMiddleware(authenticator: services.authenticator))
    // Compact JSON, keys still sorted: pretty-printing (the generator's default) spends CPU
    // and bytes on every response, screen pops included, that no integration reads.
    try APIController(services: services).registerHandlers(
        on: api, serverURL: URL(string: "/")!, configuration: .init(jsonEncodingOptions: [.sortedKeys]))

    let views = try await ConsoleViews.load()
    LoginController(services: services, views: views).addRoutes(to: router)
    PrivacyPortalController(services: services, views: views).addRoutes(to: router)
    let console = router.group().add(middleware: ConsoleSessionMiddleware(authenticator: services.authenticator, mfa: services.mfa))
    console.post("/logout") { request, context in try await LoginController.logout(request, context, services: services) }
    ContactsConsoleController(services: services, views: views).addRoutes(to: console)
    ImportConsoleController(services: services, views: views).addRoutes(to: console)
    InteractionsConsoleController(services: services, views: views).addRoutes(to: console)
    AdminConsoleController(services: services, views: views).addRoutes(to: console)
    CatalogConsoleController(services: services, views: views).addRoutes(to: console)
    CampaignsConsoleController(services: services, views: views).addRoutes(to: console)
    AuditConsoleController(services: services, views: views).addRoutes(to: console)
    RequestsConsoleController(services: services, views: views).addRoutes(to: console)
    AccountConsoleController(services: services, views: views).addRoutes(to: console)
    AccountTokensController(services: services, views: views).addRoutes(to: console)
    return router
}
