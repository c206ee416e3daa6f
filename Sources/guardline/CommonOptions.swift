import ArgumentParser
import Foundation
import GuardlineServer

/// Options every command shares; the environment is read here and nowhere else.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Folder for the embedded database, the key store and the master key.")
    var dataDir: String = "./data"

    @Option(name: .long, help: "SQLite path or postgres:// URL (default: $GUARDLINE_DATABASE_URL, else DATA_DIR/guardline.sqlite).")
    var databaseURL: String?

    func configuration(host: String = "127.0.0.1", port: Int = 8080, tlsCertificate: String? = nil, tlsKey: String? = nil) -> ServerConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var configuration = ServerConfiguration(
            host: host, port: port, dataDirectory: dataDir,
            databaseURL: databaseURL ?? environment["GUARDLINE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            keyDatabaseURL: environment["GUARDLINE_KEY_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            masterKeyFile: environment["GUARDLINE_MASTER_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 },
            masterKey: environment["GUARDLINE_MASTER_KEY"].flatMap { $0.isEmpty ? nil : $0 },
            auditSigningKeyFile: environment["GUARDLINE_AUDIT_SIGNING_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 },
            auditSigningKey: environment["GUARDLINE_AUDIT_SIGNING_KEY"].flatMap { $0.isEmpty ? nil : $0 },
            tlsCertificate: tlsCertificate, tlsKey: tlsKey,
            passwordCost: environment["GUARDLINE_BCRYPT_COST"].flatMap(UInt8.init) ?? 11,
            contactRequestsPerMinute: environment["GUARDLINE_CONTACT_RATE_LIMIT"].flatMap(Int.init) ?? 600)
        configuration.auditWitnessSyslog = environment["GUARDLINE_AUDIT_WITNESS_SYSLOG"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.redaction = environment["GUARDLINE_REDACTION"].flatMap { $0.isEmpty ? nil : $0 }
        if let directory = environment["GUARDLINE_RECORDINGS_DIR"], !directory.isEmpty { configuration.recordingsDirectory = directory }
        configuration.smtpURL = environment["GUARDLINE_SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.developmentOutbox = environment["GUARDLINE_OUTBOX"] == "file"
        if let bytes = environment["GUARDLINE_RECORDING_MAX_BYTES"].flatMap(Int64.init), bytes > 0 { configuration.maxRecordingBytes = bytes }
        if let seconds = environment["GUARDLINE_WRAP_UP_SECONDS"].flatMap(TimeInterval.init), seconds >= 0 { configuration.wrapUp = seconds }
        return configuration
    }
}
