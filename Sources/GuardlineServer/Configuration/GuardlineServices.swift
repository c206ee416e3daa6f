import Foundation
import Mustache
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import Logging

/// The opened stores, keys and services of a running Guardline, built once
/// at start-up and shared by the API, the console, the CLI and the benchmarks.
public struct GuardlineServices: Sendable {
    public let configuration: ServerConfiguration
    public let data: SQLStore
    public let keys: SQLStore
    public let ring: KeyRing
    public let keyLocation: String
    public let clock: WallClock

    public let organizations: OrganizationStore
    public let catalog: CatalogStore
    public let profiles: ProfileStore
    public let users: UserStore
    public let teams: TeamStore
    public let credentials: CredentialStore
    public let auditLog: AuditLog
    public let audit: AuditWriter
    public let verification: AuditVerification
    public let contacts: ContactDirectory
    public let notices: NoticeLibrary
    public let consent: ConsentDesk
    public let campaigns: CampaignDesk
    public let imports: ContactImport
    public let interactions: InteractionDesk
    public let calls: CallDesk
    public let recordings: RecordingDesk
    public let requests: RequestDesk
    public let portal: PrivacyPortal
    /// Where codes and notices to people leave (`SMTPOutbox`, or `DevelopmentOutbox` without a relay).
    public let outbox: any Outbox
    public let authenticator: Authenticator
    public let mfa: StaffMFA
    public let passwords: PasswordHasher
    let catalogs: CatalogCache
    let profileCache: ProfileCache
    let bearers: BearerCache

    /// Opens both stores, applies pending migrations and loads the keys. Refuses
    /// to start when the data was written under another master key, or when the
    /// master key file is missing although data exists, rather than make a new key.
    /// `outbox` replaces the configured one (tests).
    public static func open(
        _ configuration: ServerConfiguration, clock: WallClock = .system, outbox: (any Outbox)? = nil, logger: Logger
    ) async throws -> GuardlineServices {
        // A mistyped setting is reported before anything is opened.
        let syslog = try configuration.auditWitnessSyslog.map(SyslogWitness.init)
        let smtp = try configuration.smtpURL.map(SMTPOutbox.init(url:))
        let fallback: any Outbox = configuration.developmentOutbox ? DevelopmentOutbox(path: configuration.outboxFile) : UnconfiguredOutbox()
        let outbox: any Outbox = outbox ?? smtp ?? fallback
        let redaction = try configuration.redaction.map(RedactionPolicies.init(parsing:)) ?? RedactionPolicies()
        let data = try await SQLStore.open(configuration.store.data, attachingAuditTrail: true, logger: logger)
        let keys: SQLStore
        let ring: KeyRing
        let keyLocation: String
        do {
            keys = configuration.store.keys == configuration.store.data
                ? data : try await SQLStore.open(configuration.store.keys, attachingAuditTrail: false, logger: logger)
        } catch {
            try? await data.shutdown()
            throw error
        }
        do {
            try await Migrator.data(data).run(clock: clock)
            try await Migrator.keys(keys).run(clock: clock)
            try await AuditLog(data).requireStorage()
            // A key store that lost its keys (a wrong GUARDLINE_KEY_DATABASE_URL, a file restored from
            // the wrong backup) would make every contact look erased: refuse rather than run on it.
            if try await SubjectKeyVault(keys).sample() == nil, try await ContactStore(data).holdsLiveContacts() {
                throw GuardlineError(.unavailable,
                    "The key store (\(configuration.store.keys)) holds no subject keys, but the database holds contacts: it is not their key store. Point Guardline at the right one (GUARDLINE_KEY_DATABASE_URL or the data dir's keys.sqlite).")
            }
            let checks = KeyCheckStore(data)
            let stored = try await checks.value()
            var holdsData = stored != nil
            if !holdsData { holdsData = try await checks.holdsData() }
            let provider: any KeyProvider = configuration.masterKey.map {
                StaticKeyProvider(encoded: $0, location: "GUARDLINE_MASTER_KEY")
            } ?? FileKeyProvider(path: configuration.masterKeyFile, mayCreate: !holdsData)
            let master = try provider.masterKey()
            // A signing key file is made only for a trail with no checkpoints yet, or whose
            // checkpoints were signed by the key older versions derived from the master key.
            let latestSigner = try await AuditLog(data).latestSigningKey()
            let signing = try AuditSigningKey.load(
                file: configuration.auditSigningKeyFile, value: configuration.auditSigningKey,
                mayCreate: latestSigner.map { KeyRing(master: master).checkpointSigner.publicKey == $0 } ?? true)
            // The master-derived signing key is trusted only where it already signed checkpoints (installs
            // from before the signing key had its own file); elsewhere the master key cannot forge one.
            let legacySigner = KeyRing(master: master).checkpointSigner.publicKey
            let trustLegacy = try await AuditLog(data).hasCheckpoint(signedBy: legacySigner)
            ring = KeyRing(master: master, signingKey: signing, trustingDerivedSigner: trustLegacy)
            keyLocation = provider.location
            if let stored {
                guard stored == ring.keyCheckValue else {
                    throw GuardlineError(.unavailable,
                        "The master key (\(provider.location)) is not the one this database was written with; nothing can be decrypted with it. Start with the original key; Guardline will not write data under a different one.")
                }
            } else {
                // Data from before the check value existed: the key must open what is there before it is recorded.
                if let sample = try await SubjectKeyVault(keys).sample() {
                    do {
                        _ = try SubjectKey.unwrap(sample.wrapped, by: ring, org: sample.org, contact: sample.contact)
                    } catch {
                        throw GuardlineError(.unavailable,
                            "The master key (\(provider.location)) does not open the subject keys in the key store; start with the key this data was written with.")
                    }
                }
                try await checks.record(ring.keyCheckValue, at: clock.now)
            }
            if let path = configuration.auditWitnessFile {
                try await startWitness(AuditWitness(path: path), log: AuditLog(data), logger: logger)
            }
            if let latest = latestSigner, !ring.checkpointSigner.trusts(publicKey: latest) {
                throw GuardlineError(.unavailable,
                    "The audit signing key (\(configuration.auditSigningKey == nil ? configuration.auditSigningKeyFile : "GUARDLINE_AUDIT_SIGNING_KEY")) is not the one that signed the latest audit checkpoint. Restore the original key; with another one every later checkpoint would contradict the earlier ones.")
            }
        } catch {
            if keys !== data { try? await keys.shutdown() }
            try? await data.shutdown()
            throw error
        }
        let passwords = PasswordHasher(cost: configuration.passwordCost)
        let decoy = try await passwords.hash(TokenHasher.newToken())
        return GuardlineServices(configuration: configuration, data: data, keys: keys, ring: ring,
                                 keyLocation: keyLocation, clock: clock, passwords: passwords, decoyHash: decoy, syslog: syslog,
                                 redaction: redaction, exportPage: try SubjectExportPage.template(), outbox: outbox,
                                 sendsTexts: smtp?.sendsTexts ?? true)
    }

    private init(
        configuration: ServerConfiguration, data: SQLStore, keys: SQLStore, ring: KeyRing, keyLocation: String,
        clock: WallClock, passwords: PasswordHasher, decoyHash: String, syslog: SyslogWitness?, redaction: RedactionPolicies,
        exportPage: MustacheTemplate, outbox: any Outbox, sendsTexts: Bool
    ) {
        self.outbox = outbox
        self.configuration = configuration
        self.data = data
        self.keys = keys
        self.ring = ring
        self.keyLocation = keyLocation
        self.clock = clock
        self.passwords = passwords
        organizations = OrganizationStore(data)
        catalog = CatalogStore(data)
        profiles = ProfileStore(data)
        users = UserStore(data)
        teams = TeamStore(data)
        credentials = CredentialStore(data)
        auditLog = AuditLog(data, checkpointInterval: configuration.auditCheckpointInterval)
        let witness = configuration.auditWitnessFile.map(AuditWitness.init(path:))
        audit = AuditWriter(log: auditLog, signer: ring.checkpointSigner, witness: witness,
                            syslog: syslog)
        verification = AuditVerification(log: auditLog, signer: ring.checkpointSigner, witness: witness)
        catalogs = CatalogCache(store: catalog, clock: clock)
        profileCache = ProfileCache(store: profiles, clock: clock)
        bearers = BearerCache(clock: clock)
        contacts = ContactDirectory(
            contacts: ContactStore(data), vault: SubjectKeyVault(keys), ring: ring, audit: audit, catalogs: catalogs,
            keyCache: SubjectKeyCache(), notes: AuditNoteStore(data),
            rateLimit: ContactRateLimit(perMinute: configuration.contactRequestsPerMinute, clock: clock), clock: clock,
            interactions: InteractionStore(data), wrapUp: configuration.wrapUp,
            blobs: LocalBlobStore(directory: configuration.recordingsDirectory), requests: RequestStore(data),
            holds: HoldStore(data))
        interactions = InteractionDesk(
            store: InteractionStore(data), recordings: RecordingStore(data), directory: contacts, consents: ConsentStore(data), users: users,
            audit: audit, policies: redaction, clock: clock)
        recordings = RecordingDesk(
            recordings: RecordingStore(data), interactions: interactions, blobs: LocalBlobStore(directory: configuration.recordingsDirectory),
            consents: ConsentStore(data), catalogs: catalogs, clock: clock, maxBytes: configuration.maxRecordingBytes)
        calls = CallDesk(desk: interactions, pops: ScreenPops(), clock: clock,
                         agents: ExpiringCache(clock: clock, lifetime: 5))
        notices = NoticeLibrary(
            notices: NoticeStore(data), catalogs: catalogs, organizations: organizations, facts: PrivacyFactsStore(data), audit: audit, clock: clock)
        consent = ConsentDesk(
            consents: ConsentStore(data), directory: contacts, library: notices, catalogs: catalogs, audit: audit, clock: clock)
        imports = ContactImport(
            directory: contacts, consents: ConsentStore(data), catalogs: catalogs, audit: audit, clock: clock)
        campaigns = CampaignDesk(
            campaigns: CampaignStore(data), suppressions: SuppressionStore(data), directory: contacts, catalogs: catalogs, audit: audit, clock: clock)
        requests = RequestDesk(
            store: RequestStore(data), directory: contacts, suppressions: SuppressionStore(data),
            exporter: SubjectExporter(
                directory: contacts, organizations: organizations, consents: ConsentStore(data), interactions: InteractionStore(data),
                recordings: RecordingStore(data), requests: RequestStore(data), auditLog: auditLog, users: users, teams: teams,
                campaigns: CampaignStore(data), facts: PrivacyFactsStore(data), page: exportPage),
            audit: audit, clock: clock, notices: RequestNotices(
                directory: contacts, outbox: outbox, sendsTexts: sendsTexts, facts: PrivacyFactsStore(data), audit: audit, clock: clock))
        portal = PrivacyPortal(
            store: PortalStore(data), attempts: LoginAttemptStore(data), hasher: ring.tokenHasher, directory: contacts, requests: requests,
            consent: consent, consents: ConsentStore(data), outbox: outbox, sendsTexts: sendsTexts, audit: audit, auditLog: auditLog, clock: clock)
        mfa = StaffMFA(
            store: MFAStore(data), organizations: organizations, cipher: ring.staffSecrets, hasher: ring.tokenHasher,
            attempts: LoginAttemptStore(data), audit: audit, clock: clock, window: configuration.loginAttemptWindow)
        authenticator = Authenticator(
            users: users, teams: teams, profiles: profileCache, bearers: bearers, credentials: credentials, hasher: ring.tokenHasher,
            passwords: passwords,
            throttle: LoginThrottle(
                attempts: LoginAttemptStore(data), hasher: ring.tokenHasher, perAccount: configuration.loginAttemptsPerAccount,
                perSource: configuration.loginAttemptsPerSource, window: configuration.loginAttemptWindow),
            audit: audit, clock: clock,
            sessionIdleTimeout: configuration.sessionIdleTimeout, sessionLifetime: configuration.sessionLifetime, loginTokenLifetime: configuration.loginTokenLifetime,
            maxTokenLifetimeDays: configuration.maxTokenLifetimeDays,
            decoyHash: decoyHash)
    }

    /// A trail with checkpoints but no witness file yet (an install from before the witness,
    /// or a file someone removed) starts its witness from the database's latest checkpoints,
    /// saying so: from then on a cut tail is caught.
    private static func startWitness(_ witness: AuditWitness, log: AuditLog, logger: Logger) async throws {
        guard !witness.exists else { return }
        let latest = try await log.latestCheckpoints()
        guard !latest.isEmpty else { return }
        try witness.record(latest.map { AuditWitness.Checkpoint(org: $0.org, seq: $0.checkpoint.seq, hash: $0.checkpoint.hash, signature: $0.checkpoint.signature) })
        logger.warning("The audit witness file was missing; it starts from the database's latest checkpoints", metadata: [
            "guardline.witness": "\(witness.path)", "guardline.organizations": "\(latest.count)",
        ])
    }

    public func shutdown() async throws {
        if keys !== data { try await keys.shutdown() }
        try await data.shutdown()
    }
}
