import Foundation
import GuardlineCore
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
    /// The Ed25519 key signing audit checkpoints: its file (created on first run) or value.
    public var auditSigningKeyFile: String
    public var auditSigningKey: String?
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Console sessions end after this long without use.
    public var sessionIdleTimeout: TimeInterval
    /// Console sessions end this long after sign-in, however busy.
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// Lifetime of tokens issued by `POST /auth/login`.
    public var loginTokenLifetime: TimeInterval
    /// The longest an integration token may live, and its lifetime when none is asked for.
    public var maxTokenLifetimeDays: Int
    /// Request bodies larger than this are refused with 413.
    public var maxBodyBytes: Int
    /// bcrypt cost; lower only in tests.
    public var passwordCost: UInt8
    public var auditCheckpointInterval: Int64
    /// Sign-in attempts allowed per account, and failed ones per source address, in `loginAttemptWindow`.
    public var loginAttemptsPerAccount = 5
    public var loginAttemptsPerSource = 50
    public var loginAttemptWindow: TimeInterval = 15 * 60
    /// Lookups, contact cards, list pages and reveals one user may make a minute (0: no limit).
    /// An agent on the phone makes a few; the default stops scraping, not work.
    public var contactRequestsPerMinute: Int
    /// Proxy addresses whose X-Forwarded-For and X-Forwarded-Proto are believed.
    public var trustedProxies: [String] = []
    /// Clients reach Guardline only through a TLS-terminating proxy: cookies are `Secure`.
    public var trustProxyTLS = false
    /// Where signed audit checkpoints are also written, outside the database (`AuditWitness`).
    public var auditWitnessFile: String?
    /// Where a copy of each checkpoint is sent as a syslog message (`SyslogWitness`):
    /// `unix:/dev/log` or `udp://loghost:514` (`GUARDLINE_AUDIT_WITNESS_SYSLOG`).
    public var auditWitnessSyslog: String?
    /// `/metrics` on the public port answers only with this bearer token (`GUARDLINE_METRICS_TOKEN`).
    public var metricsToken: String?
    /// A separate listener serving only `/metrics` (`--metrics-port`), e.g. on an internal interface.
    public var metricsPort: Int?
    /// How each part of an interaction's content is redacted (`GUARDLINE_REDACTION`,
    /// e.g. `notes=tokenize`): masked unless named here, so no original is kept by default.
    public var redaction: String?
    /// How long after a call ends its agent keeps the contact open for wrap-up (`GUARDLINE_WRAP_UP_SECONDS`).
    public var wrapUp: TimeInterval = NeedToKnow.defaultWrapUp
    /// Where sealed call recordings are kept (`GUARDLINE_RECORDINGS_DIR`).
    public var recordingsDirectory: String
    /// The largest recording taken (`GUARDLINE_RECORDING_MAX_BYTES`): about three hours of 8 kHz WAV.
    public var maxRecordingBytes: Int64 = 200 * 1024 * 1024
    /// The SMTP relay that carries portal codes and request notices (`GUARDLINE_SMTP_URL`,
    /// `SMTPOutbox`). Without one, messages go to `outboxFile` (`DevelopmentOutbox`).
    public var smtpURL: String?
    public var outboxFile: String
    /// Messages to people go to `outboxFile` when no relay is configured (`--demo`, or
    /// `GUARDLINE_OUTBOX=file`); otherwise the portal sends no codes at all, rather than
    /// write people's addresses to a file in production.
    public var developmentOutbox = false

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./data", databaseURL: String? = nil,
        keyDatabaseURL: String? = nil,
        masterKeyFile: String? = nil, masterKey: String? = nil, auditSigningKeyFile: String? = nil, auditSigningKey: String? = nil,
        tlsCertificate: String? = nil, tlsKey: String? = nil,
        sessionIdleTimeout: TimeInterval = 30 * 60, loginTokenLifetime: TimeInterval = 12 * 3600,
        maxTokenLifetimeDays: Int = 90,
        maxBodyBytes: Int = 64 * 1024, passwordCost: UInt8 = 11, auditCheckpointInterval: Int64 = 1000,
        contactRequestsPerMinute: Int = 600
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.store = .resolve(dataDirectory: dataDirectory, databaseURL: databaseURL, keyDatabaseURL: keyDatabaseURL)
        self.masterKeyFile = masterKeyFile ?? "\(dataDirectory)/master.key"
        self.masterKey = masterKey
        self.auditSigningKeyFile = auditSigningKeyFile ?? "\(dataDirectory)/audit-signing.key"
        self.auditSigningKey = auditSigningKey
        self.auditWitnessFile = "\(dataDirectory)/audit-witness.log"
        self.recordingsDirectory = "\(dataDirectory)/recordings"
        self.outboxFile = "\(dataDirectory)/outbox.log"
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.sessionIdleTimeout = sessionIdleTimeout
        self.loginTokenLifetime = loginTokenLifetime
        self.maxTokenLifetimeDays = maxTokenLifetimeDays
        self.maxBodyBytes = maxBodyBytes
        self.passwordCost = passwordCost
        self.auditCheckpointInterval = auditCheckpointInterval
        self.contactRequestsPerMinute = contactRequestsPerMinute
    }

    /// Cookies get `Secure` when Guardline itself terminates TLS.
    public var usesTLS: Bool { tlsCertificate != nil && tlsKey != nil }
}
