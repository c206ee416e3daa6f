import Benchmark
import Foundation
import GuardlineServer
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The screen pop as a CTI integration gets it: `GET /api/v1/contacts/lookup?phone=`
/// with the inbound agent's bearer token, over loopback TCP into the server
/// `guardline serve` runs (the same router, middleware, bearer authentication
/// and JSON), on the same 100,000 contacts. Each caller keeps one connection
/// alive, as an integration does. The clients run in this process and share
/// its two cores with the server (`LoopbackConnection` keeps their share small),
/// so the figures are if anything pessimistic.
func screenPopOverHTTP(concurrency: Int) {
    let tally = Tally(name: "ScreenPopHTTP (concurrency: \(concurrency))", unit: "lookups")
    let shared = Shared<LoopbackServer>()
    let sequence = Cursor()
    Benchmark(
        "ScreenPopHTTP", configuration: perCallConfiguration(concurrency: concurrency, maxDuration: .seconds(concurrency > 1 ? 12 : 6))
    ) { benchmark in
        let server = try shared.value
        try await measureCalls(benchmark, concurrency: concurrency, sequence: sequence, tally: tally) { n in
            try await server.screenPop(n)
        }
    } setup: {
        let server = try await LoopbackServer.start(connections: concurrency)
        shared.set(server)
        tally.note("\(server.directory.phones.count) encrypted contacts, inbound agent's bearer token, one keep-alive connection per caller")
        tally.note(lookupSetNote(server.directory.phones.count))
    } teardown: {
        if let server = try? shared.value { try await server.stop() }
        try tally.write()
    }
}

/// `GET /health` on the same server and connections: what the HTTP stack alone
/// serves, so the screen pop's rate can be read as a share of it.
func healthOverHTTP(concurrency: Int) {
    let tally = Tally(name: "HealthHTTP (concurrency: \(concurrency))", unit: "requests")
    let shared = Shared<LoopbackServer>()
    let sequence = Cursor()
    Benchmark("HealthHTTP", configuration: perCallConfiguration(concurrency: concurrency, maxDuration: .seconds(8))) { benchmark in
        let server = try shared.value
        try await measureCalls(benchmark, concurrency: concurrency, sequence: sequence, tally: tally) { _ in try await server.health() }
    } setup: {
        shared.set(try await LoopbackServer.start(connections: concurrency))
        tally.note("GET /health on the screen pop's server and keep-alive connections")
    } teardown: {
        if let server = try? shared.value { try await server.stop() }
        try tally.write()
    }
}

/// Guardline's HTTP server on a free loopback port over a copy of the contacts,
/// with client connections to it.
final class LoopbackServer: Sendable {
    let directory: BenchData.Directory
    private let path: String
    private let authorization: String
    private let idle: Mutex<[LoopbackConnection]>
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    private init(
        directory: BenchData.Directory, path: String, token: String, clients: [LoopbackConnection], group: ServiceGroup,
        running: Task<Void, any Error>
    ) {
        self.directory = directory
        self.path = path
        authorization = "Bearer \(token)"
        idle = Mutex(clients)
        self.group = group
        self.running = running
    }

    static func start(connections: Int, copyName: String = "screenpophttp") async throws -> LoopbackServer {
        let (directory, path) = try await BenchData.openContacts(copyName: copyName)
        var logger = Logger(label: "guardline.bench.http")
        logger.logLevel = .warning
        let (bound, port) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: try await buildRouter(services: directory.services),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "Guardline"),
            onServerRunning: { channel in
                port.yield(channel.localAddress?.port ?? 0)
                port.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        // On the benchmark's worker threads: the runner holds one of the two cooperative
        // threads for as long as a benchmark runs (see `WorkerThreads`), where a server has both.
        let running = Task(executorPreference: WorkerThreads.shared) { try await group.run() }
        var ports = bound.makeAsyncIterator()
        guard let port = await ports.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw BenchError("The HTTP server did not start.")
        }
        let token = try await directory.services.authenticator.issueLoginToken(for: directory.inbound.user).token
        var clients: [LoopbackConnection] = []
        for _ in 0..<connections { clients.append(try await LoopbackConnection.connect(port: port)) }
        return LoopbackServer(directory: directory, path: path, token: token, clients: clients, group: group, running: running)
    }

    /// One screen pop: the caller's phone looked up, checked to come back with its address.
    func screenPop(_ n: Int) async throws {
        let phone = directory.phones[contactIndex(n, count: directory.phones.count)]
        guard let client = idle.withLock({ $0.popLast() }) else { throw BenchError("More callers than connections.") }
        let response: (status: HTTPResponseStatus, body: ByteBuffer)
        do {
            response = try await client.get("/api/v1/contacts/lookup?phone=%2B\(phone.dropFirst())", authorization: authorization)
        } catch {
            idle.withLock { $0.append(client) }
            throw error
        }
        idle.withLock { $0.append(client) }
        guard response.status == .ok, Self.body(response.body, contains: phone), Self.body(response.body, contains: #""address""#) else {
            throw BenchError("The screen pop over HTTP of caller \(n) answered \(response.status.code) without the contact's phone and address.")
        }
    }

    /// One request on a free keep-alive connection, with another caller's credentials.
    func send(
        _ method: HTTPMethod, _ uri: String, body: String? = nil, authorization: String
    ) async throws -> (status: HTTPResponseStatus, body: ByteBuffer) {
        guard let client = idle.withLock({ $0.popLast() }) else { throw BenchError("More callers than connections.") }
        defer { idle.withLock { $0.append(client) } }
        return try await client.send(method, uri, body: body, authorization: authorization)
    }

    func health() async throws {
        guard let client = idle.withLock({ $0.popLast() }) else { throw BenchError("More callers than connections.") }
        defer { idle.withLock { $0.append(client) } }
        let response = try await client.get("/health", authorization: authorization)
        guard response.status == .ok else { throw BenchError("/health answered \(response.status.code).") }
    }

    /// A plain byte search: the generic `firstRange(of:)` on a buffer view cost more CPU than the server's whole screen pop.
    private static func body(_ body: ByteBuffer, contains text: String) -> Bool {
        var text = text
        return body.withUnsafeReadableBytes { bytes in
            text.withUTF8 { needle in
                guard let base = bytes.baseAddress, let pattern = needle.baseAddress, needle.count <= bytes.count else { return false }
                return (0...(bytes.count - needle.count)).contains { memcmp(base + $0, pattern, needle.count) == 0 }
            }
        }
    }

    func stop() async throws {
        for client in idle.withLock({ $0 }) { try? await client.close() }
        await group.triggerGracefulShutdown()
        try await running.value
        try await directory.services.shutdown()
        BenchData.remove(path)
    }
}

/// One keep-alive HTTP/1.1 connection, one request at a time: as little client as
/// can be, so the server gets most of the two cores. (HummingbirdTesting's client
/// races every request against a timer in a task group, which cost a fifth of the CPU.)
final class LoopbackConnection: Sendable {
    private let channel: any Channel
    private let responses: ResponseReader

    private init(channel: any Channel, responses: ResponseReader) {
        self.channel = channel
        self.responses = responses
    }

    static func connect(port: Int) async throws -> LoopbackConnection {
        let responses = ResponseReader()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(responses)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return LoopbackConnection(channel: channel, responses: responses)
    }

    func get(_ uri: String, authorization: String) async throws -> (status: HTTPResponseStatus, body: ByteBuffer) {
        try await send(.GET, uri, authorization: authorization)
    }

    func send(
        _ method: HTTPMethod, _ uri: String, body: String? = nil, authorization: String
    ) async throws -> (status: HTTPResponseStatus, body: ByteBuffer) {
        let promise = channel.eventLoop.makePromise(of: (status: HTTPResponseStatus, body: ByteBuffer).self)
        channel.eventLoop.execute { [channel, responses] in
            responses.expect(promise)
            var headers: HTTPHeaders = ["Host": "127.0.0.1", "Authorization": authorization]
            if let body {
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(body.utf8.count))
            }
            channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        return try await promise.futureResult.get()
    }

    func close() async throws { try await channel.close() }
}

/// Collects each response and completes the request waiting for it. Touched only
/// on its channel's event loop, hence unchecked.
private final class ResponseReader: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private var waiting: EventLoopPromise<(status: HTTPResponseStatus, body: ByteBuffer)>?
    private var status = HTTPResponseStatus.ok
    private var body = ByteBuffer()

    func expect(_ promise: EventLoopPromise<(status: HTTPResponseStatus, body: ByteBuffer)>) { waiting = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            waiting?.succeed((status, body))
            waiting = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waiting?.fail(error)
        waiting = nil
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting?.fail(ChannelError.ioOnClosedChannel)
        waiting = nil
    }
}
