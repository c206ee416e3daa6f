import Foundation
import GuardlineStore

/// Everything the server is configured with, read once by the command line
/// from flags and environment and passed down; nothing below reads the environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var store: StoreConfiguration
    public var masterKeyFile: String
    /// Base64 or hex master key given directly (`GUARDLINE_MASTER_KEY`); wins over the file.
    public var masterKey: String?
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Console sessions end after this long without use.
    public var sessionIdleTimeout: TimeInterval
    /// Lifetime of tokens issued by `POST /auth/login`.
    public var loginTokenLifetime: TimeInterval
    /// Request bodies larger than this are refused with 413.
    public var maxBodyBytes: Int
    /// bcrypt cost; lower only in tests.
    public var passwordCost: UInt8
    public var auditCheckpointInterval: Int64

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./data", databaseURL: String? = nil,
        masterKeyFile: String? = nil, masterKey: String? = nil, tlsCertificate: String? = nil, tlsKey: String? = nil,
        sessionIdleTimeout: TimeInterval = 30 * 60, loginTokenLifetime: TimeInterval = 12 * 3600,
        maxBodyBytes: Int = 64 * 1024, passwordCost: UInt8 = 11, auditCheckpointInterval: Int64 = 1000
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.store = .resolve(dataDirectory: dataDirectory, databaseURL: databaseURL)
        self.masterKeyFile = masterKeyFile ?? "\(dataDirectory)/master.key"
        self.masterKey = masterKey
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.sessionIdleTimeout = sessionIdleTimeout
        self.loginTokenLifetime = loginTokenLifetime
        self.maxBodyBytes = maxBodyBytes
        self.passwordCost = passwordCost
        self.auditCheckpointInterval = auditCheckpointInterval
    }

    /// Cookies get `Secure` when Guardline itself terminates TLS.
    public var usesTLS: Bool { tlsCertificate != nil && tlsKey != nil }
}
