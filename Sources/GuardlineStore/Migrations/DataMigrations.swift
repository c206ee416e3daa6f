import GuardlineCore

/// The data schema, version by version. Every row carries its organization.
enum DataMigrations {
    static let all: [Migration] = [foundation, clusteredAudit, auditTrailFile, auditHeadPerBatch, auditContactSegments, tenantStaffEmail, loginAttempts, keyCheck, auditNotes, staffMFA, contactReferences, consentLedger, campaigns, restrictionGrounds, interactions, recordings, subjectRequests, privacyPortal]

    static let foundation = Migration(version: 1, name: "foundation") { store in
        let blob = store.blobType
        return [
            """
            CREATE TABLE organization (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE access_profile (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id),
                name TEXT NOT NULL, fields TEXT NOT NULL, capabilities TEXT NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (org_id, name))
            """,
            """
            CREATE TABLE team (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), name TEXT NOT NULL,
                profile_id TEXT NOT NULL REFERENCES access_profile(id), created_at BIGINT NOT NULL,
                UNIQUE (org_id, name))
            """,
            """
            CREATE TABLE staff_user (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), email TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL, role TEXT NOT NULL, team_id TEXT REFERENCES team(id),
                profile_id TEXT REFERENCES access_profile(id), password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX staff_user_org ON staff_user (org_id)",
            """
            CREATE TABLE api_token (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id),
                user_id TEXT NOT NULL REFERENCES staff_user(id), name TEXT NOT NULL, kind TEXT NOT NULL,
                token_hash \(blob) NOT NULL UNIQUE, scopes TEXT NOT NULL, created_at BIGINT NOT NULL,
                expires_at BIGINT, last_used_at BIGINT, revoked_at BIGINT)
            """,
            """
            CREATE TABLE console_session (
                token_hash \(blob) PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id),
                user_id TEXT NOT NULL REFERENCES staff_user(id), csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE purpose (
                org_id TEXT NOT NULL REFERENCES organization(id), key TEXT NOT NULL, name TEXT NOT NULL,
                description TEXT NOT NULL, lawful_basis TEXT NOT NULL, retention_days INTEGER NOT NULL,
                PRIMARY KEY (org_id, key))
            """,
            """
            CREATE TABLE data_field (
                org_id TEXT NOT NULL REFERENCES organization(id), key TEXT NOT NULL, label TEXT NOT NULL,
                category TEXT NOT NULL, special_category INTEGER NOT NULL, purposes TEXT NOT NULL,
                position INTEGER NOT NULL, PRIMARY KEY (org_id, key))
            """,
            """
            CREATE TABLE contact (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id),
                sealed_fields \(blob) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                erased_at BIGINT)
            """,
            "CREATE INDEX contact_org ON contact (org_id, id)",
            """
            CREATE TABLE contact_index (
                org_id TEXT NOT NULL, kind TEXT NOT NULL, hash \(blob) NOT NULL,
                contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                PRIMARY KEY (org_id, kind, hash, contact_id))
            """,
            "CREATE INDEX contact_index_contact ON contact_index (contact_id)",
            """
            CREATE TABLE audit_event (
                org_id TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, actor_kind TEXT NOT NULL,
                actor_id TEXT, action TEXT NOT NULL, contact_id TEXT, fields TEXT NOT NULL, context TEXT,
                prev_hash \(blob) NOT NULL, hash \(blob) NOT NULL, PRIMARY KEY (org_id, seq))
            """,
            "CREATE INDEX audit_event_contact ON audit_event (org_id, contact_id)",
            """
            CREATE TABLE audit_head (
                org_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash \(blob) NOT NULL)
            """,
            """
            CREATE TABLE audit_checkpoint (
                org_id TEXT NOT NULL, seq BIGINT NOT NULL, hash \(blob) NOT NULL, signature \(blob) NOT NULL,
                public_key \(blob) NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (org_id, seq))
            """,
        ] + auditHeadTrigger(store)
    }

    /// On SQLite the audit table becomes a WITHOUT ROWID table, stored in chain order
    /// (org, seq): verifying a chain walks one b-tree in order instead of seeking every
    /// entry by rowid from the primary-key index, and an append updates one b-tree fewer.
    /// PostgreSQL's table and primary-key index already serve both; nothing changes there.
    static let clusteredAudit = Migration(version: 2, name: "audit stored in chain order") { store in
        guard store.engine == .sqlite else { return [] }
        let columns = "org_id, seq, at, actor_kind, actor_id, action, contact_id, fields, context, prev_hash, hash"
        return [
            """
            CREATE TABLE audit_event_chained (
                org_id TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, actor_kind TEXT NOT NULL,
                actor_id TEXT, action TEXT NOT NULL, contact_id TEXT, fields TEXT NOT NULL, context TEXT,
                prev_hash BLOB NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (org_id, seq)) WITHOUT ROWID
            """,
            "INSERT INTO audit_event_chained (\(columns)) SELECT \(columns) FROM audit_event ORDER BY org_id, seq",
            // Dropping the table drops its index and its head trigger; both are made again below.
            "DROP TABLE audit_event",
            "ALTER TABLE audit_event_chained RENAME TO audit_event",
            "CREATE INDEX audit_event_contact ON audit_event (org_id, contact_id)",
        ] + auditHeadTrigger(store)
    }

    /// On SQLite the audit tables move to a file of their own, attached as `audit`
    /// (`SQLStore.open`). Every audit commit used to change the data file, and in
    /// WAL mode that empties the page cache of every reader of it, so each screen
    /// pop read its pages from disk again. The tables keep their names, so every
    /// statement finds them unchanged. The copy is committed first (`prepare`);
    /// the originals are dropped only if every entry arrived.
    static let auditTrailFile = Migration(
        version: 3, name: "audit trail in its own file",
        prepare: { store in
            guard store.engine == .sqlite else { return [] }
            let columns = "org_id, seq, at, actor_kind, actor_id, action, contact_id, fields, context, prev_hash, hash"
            return [
                """
                CREATE TABLE IF NOT EXISTS audit.audit_event (
                    org_id TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, actor_kind TEXT NOT NULL,
                    actor_id TEXT, action TEXT NOT NULL, contact_id TEXT, fields TEXT NOT NULL, context TEXT,
                    prev_hash BLOB NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (org_id, seq)) WITHOUT ROWID
                """,
                "CREATE INDEX IF NOT EXISTS audit.audit_event_contact ON audit_event (org_id, contact_id)",
                "CREATE TABLE IF NOT EXISTS audit.audit_head (org_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash BLOB NOT NULL)",
                """
                CREATE TABLE IF NOT EXISTS audit.audit_checkpoint (
                    org_id TEXT NOT NULL, seq BIGINT NOT NULL, hash BLOB NOT NULL, signature BLOB NOT NULL,
                    public_key BLOB NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (org_id, seq))
                """,
                "INSERT OR IGNORE INTO audit.audit_event (\(columns)) SELECT \(columns) FROM main.audit_event ORDER BY org_id, seq",
                // The stored head, not the last entry: it is what exposes a truncated tail.
                AuditLog.advanceHead(in: "audit.audit_head", from: "SELECT org_id, seq, hash FROM main.audit_head WHERE true"),
                """
                INSERT OR IGNORE INTO audit.audit_checkpoint (org_id, seq, hash, signature, public_key, at)
                SELECT org_id, seq, hash, signature, public_key, at FROM main.audit_checkpoint
                """,
            ] + auditHeadTrigger(store, schema: "audit")
        },
        statements: { store in
            guard store.engine == .sqlite else { return [] }
            return [
                """
                CREATE TEMP TABLE audit_move_check (
                    copied INTEGER NOT NULL CONSTRAINT audit_trail_copy_incomplete CHECK (copied = 1))
                """,
                """
                INSERT INTO audit_move_check (copied) SELECT 0
                WHERE (SELECT count(*) FROM main.audit_event) > (SELECT count(*) FROM audit.audit_event)
                   OR (SELECT count(*) FROM main.audit_checkpoint) > (SELECT count(*) FROM audit.audit_checkpoint)
                """,
                "DROP TABLE temp.audit_move_check",
                // Dropping a table drops its index and trigger.
                "DROP TABLE main.audit_event",
                "DROP TABLE main.audit_head",
                "DROP TABLE main.audit_checkpoint",
            ]
        })

    /// On SQLite every append goes through one writer (`AuditLog.Appender`), which
    /// now moves `audit_head` once per batch in the batch's transaction. The per-row
    /// trigger ran an upsert, and made SQLite keep a statement journal, for every
    /// entry. PostgreSQL, where several servers append, keeps its trigger.
    static let auditHeadPerBatch = Migration(version: 4, name: "audit head moved once per batch") { store in
        store.engine == .sqlite ? ["DROP TRIGGER IF EXISTS audit.audit_event_head"] : []
    }

    /// On SQLite the audit trail's contact index leads with the entry's segment
    /// (`AuditLog.segmentBits`): an append lands in the few hundred leaves of the
    /// newest segment instead of a random leaf of the whole index, so the pages a
    /// checkpoint copies back stay few. Queries by contact seek each segment
    /// (`AuditLog.entries`). PostgreSQL keeps its index on (org, contact).
    static let auditContactSegments = Migration(version: 5, name: "audit contact index by segment") { store in
        guard store.engine == .sqlite else { return [] }
        return [
            "DROP INDEX IF EXISTS audit.audit_event_contact",
            """
            CREATE INDEX audit.\(AuditLog.contactIndex) ON audit_event (org_id, seq >> \(AuditLog.segmentBits), contact_id)
            """,
        ]
    }

    /// Staff email addresses are unique within an organization, not across them, so
    /// creating a user says nothing about another tenant's staff; sign-in looks the
    /// address up across organizations (`staff_user_email`). Every API token expires:
    /// tokens made without an expiry get the default maximum of 90 days from creation.
    /// SQLite cannot drop a column's UNIQUE, so its table is rebuilt (foreign keys off).
    static let tenantStaffEmail = Migration(
        version: 6, name: "staff email unique per organization, tokens expire", rebuildsTables: true
    ) { store in
        // Tokens without an expiry, or with one past the new maximum, end 90 days after creation.
        let limit = "created_at + \(Int64(90) * 86_400_000)"
        let expiry = "UPDATE api_token SET expires_at = \(limit) WHERE expires_at IS NULL OR expires_at > \(limit)"
        switch store.engine {
        case .sqlite:
            let columns = "id, org_id, email, name, role, team_id, profile_id, password_hash, disabled, created_at"
            return [
                """
                CREATE TABLE staff_user_scoped (
                    id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), email TEXT NOT NULL,
                    name TEXT NOT NULL, role TEXT NOT NULL, team_id TEXT REFERENCES team(id),
                    profile_id TEXT REFERENCES access_profile(id), password_hash TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, UNIQUE (org_id, email))
                """,
                "INSERT INTO staff_user_scoped (\(columns)) SELECT \(columns) FROM staff_user",
                "DROP TABLE staff_user",
                "ALTER TABLE staff_user_scoped RENAME TO staff_user",
                "CREATE INDEX staff_user_org ON staff_user (org_id)",
                "CREATE INDEX staff_user_email ON staff_user (email)",
                expiry,
            ]
        case .postgres:
            return [
                "ALTER TABLE staff_user DROP CONSTRAINT IF EXISTS staff_user_email_key",
                "ALTER TABLE staff_user ADD CONSTRAINT staff_user_org_email UNIQUE (org_id, email)",
                "CREATE INDEX staff_user_email ON staff_user (email)",
                expiry,
            ]
        }
    }

    /// Sign-in attempts counted in the database (`LoginAttemptStore`), so servers
    /// sharing PostgreSQL share one allowance and no process holds them in memory.
    static let loginAttempts = Migration(version: 7, name: "login attempts") { store in
        [
            "CREATE TABLE login_attempt (key \(store.blobType) NOT NULL, attempt \(store.blobType) NOT NULL, at BIGINT NOT NULL)",
            "CREATE INDEX login_attempt_key ON login_attempt (key, at)",
            "CREATE INDEX login_attempt_at ON login_attempt (at)",
            "CREATE INDEX login_attempt_attempt ON login_attempt (attempt)",
        ]
    }

    /// The master key's check value (`KeyCheckStore`), kept with the data.
    static let keyCheck = Migration(version: 8, name: "master key check value") { store in
        ["CREATE TABLE key_check (id INTEGER PRIMARY KEY, value \(store.blobType) NOT NULL, created_at BIGINT NOT NULL)"]
    }

    /// Sealed free text that audit entries refer to by id and hash (`AuditNoteStore`).
    static let auditNotes = Migration(version: 9, name: "sealed audit notes") { store in
        [
            """
            CREATE TABLE sealed_note (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL, contact_id TEXT NOT NULL,
                sealed \(store.blobType) NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX sealed_note_contact ON sealed_note (org_id, contact_id)",
        ]
    }

    /// Staff two-step sign-in (`MFAStore`), and each organization's policy of which roles
    /// must use it (`mfa_roles`, space-separated): admin and DPO unless the organization
    /// says otherwise.
    static let staffMFA = Migration(version: 10, name: "staff two-step sign-in") { store in
        let blob = store.blobType
        return [
            "ALTER TABLE organization ADD COLUMN mfa_roles TEXT NOT NULL DEFAULT 'admin dpo'",
            """
            CREATE TABLE staff_mfa (
                user_id TEXT PRIMARY KEY REFERENCES staff_user(id), org_id TEXT NOT NULL, secret \(blob) NOT NULL,
                created_at BIGINT NOT NULL, enabled_at BIGINT, last_counter BIGINT NOT NULL)
            """,
            """
            CREATE TABLE staff_recovery_code (
                user_id TEXT NOT NULL REFERENCES staff_user(id), code_hash \(blob) NOT NULL, used_at BIGINT,
                PRIMARY KEY (user_id, code_hash))
            """,
            """
            CREATE TABLE mfa_challenge (
                token_hash \(blob) PRIMARY KEY, org_id TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES staff_user(id),
                created_at BIGINT NOT NULL)
            """,
        ]
    }

    /// Each contact gets a short reference per organization (`ContactReference`), numbered
    /// in creation (id) order for the contacts already there, then from a counter.
    static let contactReferences = Migration(version: 11, name: "contact references") { _ in
        [
            "ALTER TABLE contact ADD COLUMN ref BIGINT",
            """
            UPDATE contact SET ref = numbered.n FROM (
                SELECT id, ROW_NUMBER() OVER (PARTITION BY org_id ORDER BY id) AS n FROM contact) AS numbered
            WHERE contact.id = numbered.id
            """,
            "CREATE UNIQUE INDEX contact_org_ref ON contact (org_id, ref)",
            "CREATE TABLE contact_ref_counter (org_id TEXT PRIMARY KEY, last BIGINT NOT NULL)",
            "INSERT INTO contact_ref_counter (org_id, last) SELECT org_id, max(ref) FROM contact GROUP BY org_id",
        ]
    }

    /// Journey stages, purposes' channels and stages, fields' stages, the contact's stage,
    /// versioned notices and scripts, and the append-only consent ledger. Contacts already
    /// held are customers; the standard agent and DPO profiles may record consent.
    static let consentLedger = Migration(version: 12, name: "consent ledger and journey stages") { _ in
        let stages = JourneyStage.standard.enumerated().map { position, stage in
            "INSERT INTO journey_stage (org_id, key, label, position) SELECT id, '\(stage.key)', '\(stage.label)', \(position) FROM organization"
        }
        return [
            "ALTER TABLE purpose ADD COLUMN channels TEXT NOT NULL DEFAULT '[\"phone\",\"sms\",\"email\"]'",
            "ALTER TABLE purpose ADD COLUMN stages TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE purpose ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE data_field ADD COLUMN stages TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE contact ADD COLUMN stage TEXT NOT NULL DEFAULT 'customer'",
            """
            CREATE TABLE journey_stage (
                org_id TEXT NOT NULL REFERENCES organization(id), key TEXT NOT NULL, label TEXT NOT NULL,
                position INTEGER NOT NULL, PRIMARY KEY (org_id, key))
            """,
        ] + stages + [
            """
            CREATE TABLE notice_version (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), kind TEXT NOT NULL,
                purpose TEXT NOT NULL, version INTEGER NOT NULL, text TEXT NOT NULL, hash TEXT NOT NULL,
                created_by TEXT, created_at BIGINT NOT NULL, UNIQUE (org_id, kind, purpose, version))
            """,
            """
            CREATE TABLE consent_event (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL, contact_id TEXT NOT NULL REFERENCES contact(id),
                purpose TEXT NOT NULL, channel TEXT NOT NULL, decision TEXT NOT NULL, source TEXT NOT NULL,
                captured_by TEXT, notice_version_id TEXT, notice_hash TEXT, interaction_id TEXT, evidence TEXT,
                at BIGINT NOT NULL)
            """,
            "CREATE INDEX consent_event_contact ON consent_event (org_id, contact_id, at)",
            "CREATE INDEX consent_event_purpose ON consent_event (org_id, purpose, channel, contact_id)",
            """
            UPDATE access_profile SET capabilities = CASE WHEN capabilities = '[]' THEN '["recordConsent"]'
                ELSE '["recordConsent",' || substr(capabilities, 2) END
            WHERE name IN ('Inbound Support', 'Outbound Sales', 'Data Protection') AND capabilities NOT LIKE '%"recordConsent"%'
            """,
        ]
    }

    /// Outbound campaigns and their lists, the suppression list (blind-index hashes only,
    /// so it outlives an erasure without keeping the number), restriction of processing
    /// and objections; the covering indexes a list build reads. Supervisors manage
    /// campaigns, outbound agents dial them, the DPO restricts and records objections.
    static let campaigns = Migration(version: 13, name: "campaigns, suppression list, restriction and objections") { store in
        let blob = store.blobType
        func grant(_ capability: String, to profile: String) -> String {
            """
            UPDATE access_profile SET capabilities = CASE WHEN capabilities = '[]' THEN '["\(capability)"]'
                ELSE '["\(capability)",' || substr(capabilities, 2) END
            WHERE name = '\(profile)' AND capabilities NOT LIKE '%"\(capability)"%'
            """
        }
        return [
            "ALTER TABLE contact ADD COLUMN restricted_at BIGINT",
            "CREATE INDEX contact_campaign ON contact (org_id, stage, id, erased_at, restricted_at)",
            "CREATE INDEX consent_event_latest ON consent_event (org_id, purpose, channel, contact_id, id, decision)",
            """
            CREATE TABLE objection (
                org_id TEXT NOT NULL, contact_id TEXT NOT NULL REFERENCES contact(id), purpose TEXT NOT NULL,
                recorded_by TEXT, at BIGINT NOT NULL, PRIMARY KEY (org_id, purpose, contact_id))
            """,
            """
            CREATE TABLE suppression (
                org_id TEXT NOT NULL REFERENCES organization(id), kind TEXT NOT NULL, hash \(blob) NOT NULL,
                source TEXT NOT NULL, added_at BIGINT NOT NULL, PRIMARY KEY (org_id, kind, hash))
            """,
            """
            CREATE TABLE campaign (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), name TEXT NOT NULL,
                purpose TEXT NOT NULL, channel TEXT NOT NULL, stages TEXT NOT NULL, hours TEXT NOT NULL,
                time_zone TEXT NOT NULL, max_attempts INTEGER NOT NULL, created_by TEXT, created_at BIGINT NOT NULL,
                built_at BIGINT, built_by TEXT, included INTEGER, excluded TEXT)
            """,
            "CREATE INDEX campaign_org ON campaign (org_id, created_at)",
            """
            CREATE TABLE campaign_entry (
                org_id TEXT NOT NULL, campaign_id TEXT NOT NULL REFERENCES campaign(id), position BIGINT NOT NULL, contact_id TEXT NOT NULL,
                state TEXT NOT NULL, reason TEXT, attempts INTEGER NOT NULL DEFAULT 0, offered_to TEXT, offered_at BIGINT,
                not_before BIGINT, outcome TEXT, PRIMARY KEY (campaign_id, position))
            """,
            "CREATE UNIQUE INDEX campaign_entry_contact ON campaign_entry (campaign_id, contact_id)",
            "CREATE INDEX campaign_entry_state ON campaign_entry (campaign_id, state, position)",
            grant("manageCampaigns", to: "Supervision"),
            grant("dialCampaigns", to: "Outbound Sales"),
            grant("restrictProcessing", to: "Data Protection"),
        ]
    }

    /// The ground of a restriction (Art. 18(1)), a code: restrictions recorded before have none.
    /// A campaign keeps the lawful basis its purpose had when it was created (campaigns already
    /// there take their purpose's basis now), so a later change of basis stops it. Bulk imports
    /// become a right of their own, the DPO's.
    static let restrictionGrounds = Migration(version: 14, name: "restriction grounds, campaign lawful basis, contact import right") { _ in
        [
            """
            UPDATE access_profile SET capabilities = CASE WHEN capabilities = '[]' THEN '["importContacts"]'
                ELSE '["importContacts",' || substr(capabilities, 2) END
            WHERE name = 'Data Protection' AND capabilities NOT LIKE '%"importContacts"%'
            """,
            "ALTER TABLE contact ADD COLUMN restriction_ground TEXT",
            "ALTER TABLE campaign ADD COLUMN lawful_basis TEXT",
            """
            UPDATE campaign SET lawful_basis = COALESCE(
                (SELECT p.lawful_basis FROM purpose p WHERE p.org_id = campaign.org_id AND p.key = campaign.purpose), 'consent')
            """,
        ]
    }

    /// Interactions (content sealed under the contact's key, apart from the facts in clear),
    /// the CTI events already taken (idempotency), and need-to-know: agent profiles open a
    /// contact within a live interaction; the DPO reads every interaction.
    static let interactions = Migration(version: 15, name: "interactions, CTI events, need-to-know") { store in
        let blob = store.blobType
        func grant(_ capability: String, to names: String) -> String {
            """
            UPDATE access_profile SET capabilities = CASE WHEN capabilities = '[]' THEN '["\(capability)"]'
                ELSE '["\(capability)",' || substr(capabilities, 2) END
            WHERE name IN (\(names)) AND capabilities NOT LIKE '%"\(capability)"%'
            """
        }
        return [
            "ALTER TABLE access_profile ADD COLUMN context_rule TEXT NOT NULL DEFAULT 'none'",
            "UPDATE access_profile SET context_rule = 'interactionOrReason' WHERE name = 'Inbound Support'",
            "UPDATE access_profile SET context_rule = 'interaction' WHERE name = 'Outbound Sales'",
            grant("readInteractions", to: "'Inbound Support', 'Data Protection'"),
            grant("allInteractions", to: "'Data Protection'"),
            grant("playRecordings", to: "'Data Protection'"),
            """
            CREATE TABLE interaction (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), contact_id TEXT REFERENCES contact(id),
                channel TEXT NOT NULL, direction TEXT NOT NULL, state TEXT NOT NULL, source TEXT NOT NULL, agent_id TEXT, team_id TEXT, assigned_at BIGINT,
                queue TEXT, call_id TEXT, started_at BIGINT NOT NULL, answered_at BIGINT, ended_at BIGINT, closed_at BIGINT,
                disposition TEXT, content \(blob), originals \(blob), updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX interaction_call ON interaction (org_id, call_id)",
            "CREATE INDEX interaction_contact ON interaction (org_id, contact_id, id)",
            "CREATE INDEX interaction_agent ON interaction (org_id, agent_id, state)",
            """
            CREATE TABLE cti_event (
                org_id TEXT NOT NULL, call_id TEXT NOT NULL, kind TEXT NOT NULL, agent_id TEXT NOT NULL, at BIGINT NOT NULL,
                received_at BIGINT NOT NULL, PRIMARY KEY (org_id, call_id, kind, agent_id))
            """,
        ]
    }

    /// Call recordings: one per interaction, its sealed bytes in the blob store, its purpose
    /// and lawful basis kept beside it; supervisors may play their team's back. Call hand-overs
    /// keep what made them (an answer never takes back a transfer); call events are taken once
    /// by their PBX time too; call ids are kept only as keyed hashes (the first ones, in clear, go).
    static let recordings = Migration(version: 16, name: "call recordings, call hand-over order, hashed call ids") { store in
        [
            "ALTER TABLE interaction ADD COLUMN assigned_by TEXT",
            "ALTER TABLE interaction ADD COLUMN caller_hash \(store.blobType)",
            "UPDATE interaction SET call_id = NULL",
            "DROP TABLE cti_event",
            """
            CREATE TABLE cti_event (
                org_id TEXT NOT NULL, call_id TEXT NOT NULL, kind TEXT NOT NULL, agent_id TEXT NOT NULL, occurred BIGINT NOT NULL,
                at BIGINT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (org_id, call_id, kind, agent_id, occurred))
            """,
            """
            CREATE TABLE recording (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), contact_id TEXT NOT NULL REFERENCES contact(id),
                interaction_id TEXT NOT NULL REFERENCES interaction(id), content_type TEXT NOT NULL, bytes BIGINT NOT NULL,
                purpose TEXT NOT NULL, lawful_basis TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX recording_interaction ON recording (org_id, interaction_id)",
            "CREATE INDEX recording_contact ON recording (org_id, contact_id)",
            """
            UPDATE access_profile SET capabilities = CASE WHEN capabilities = '[]' THEN '["playRecordings"]'
                ELSE '["playRecordings",' || substr(capabilities, 2) END
            WHERE name = 'Supervision' AND capabilities NOT LIKE '%"playRecordings"%'
            """,
        ]
    }

    /// Data subject requests (Art. 12, 15–21): kinds, states and deadlines as codes and
    /// dates; a proposed correction sealed under the contact's key. The DPO's profile may
    /// handle them. Objections are found by contact, for erasure.
    static let subjectRequests = Migration(version: 17, name: "data subject requests") { store in
        [
            """
            CREATE TABLE subject_request (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), contact_id TEXT NOT NULL REFERENCES contact(id),
                kind TEXT NOT NULL, channel TEXT NOT NULL, state TEXT NOT NULL, received_at BIGINT NOT NULL, due_at BIGINT NOT NULL,
                extended TEXT, verification TEXT, verified_at BIGINT, verified_by TEXT, duplicate_of TEXT, rejection TEXT, purpose TEXT,
                sealed_changes \(store.blobType), closed_at BIGINT, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX subject_request_queue ON subject_request (org_id, state, due_at, id)",
            "CREATE INDEX subject_request_contact ON subject_request (org_id, contact_id, id)",
            "CREATE INDEX subject_request_repeats ON subject_request (org_id, duplicate_of)",
            // Erasure removes a person's objections by contact.
            "CREATE INDEX objection_contact ON objection (org_id, contact_id)",
            """
            UPDATE access_profile SET capabilities = CASE WHEN capabilities = '[]' THEN '["handleRequests"]'
                ELSE '["handleRequests",' || substr(capabilities, 2) END
            WHERE name = 'Data Protection' AND capabilities NOT LIKE '%"handleRequests"%'
            """,
        ]
    }

    /// The privacy portal: one-time codes sent (their keyed hash, never the code) and the
    /// sessions they open, both keyed by hashes and holding no address; a request keeps
    /// the language its person used, to tell them of its progress in it, and the id an
    /// upstream controller gave it.
    static let privacyPortal = Migration(version: 18, name: "privacy portal, upstream request ids, erasure holds") { store in
        [
            """
            CREATE TABLE portal_challenge (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), contact_id TEXT, channel TEXT NOT NULL,
                address_key \(store.blobType) NOT NULL, code_hash \(store.blobType) NOT NULL, attempts_left INTEGER NOT NULL,
                expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX portal_challenge_expiry ON portal_challenge (expires_at)",
            "CREATE INDEX portal_challenge_contact ON portal_challenge (org_id, contact_id)",
            """
            CREATE TABLE portal_session (
                token_hash \(store.blobType) PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), contact_id TEXT NOT NULL,
                channel TEXT NOT NULL, csrf TEXT NOT NULL, language TEXT NOT NULL, expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX portal_session_expiry ON portal_session (expires_at)",
            "CREATE INDEX portal_session_contact ON portal_session (org_id, contact_id)",
            "ALTER TABLE subject_request ADD COLUMN language TEXT",
            // An upstream controller's own id for a request it sent (OpenDSR subject_request_id).
            "ALTER TABLE subject_request ADD COLUMN external_id TEXT",
            "CREATE UNIQUE INDEX subject_request_external ON subject_request (org_id, external_id)",
            // What must outlive an erasure, and why (Art. 17(3)).
            """
            CREATE TABLE erasure_hold (
                id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organization(id), contact_id TEXT NOT NULL REFERENCES contact(id),
                ground TEXT NOT NULL, fields TEXT NOT NULL, until_at BIGINT, placed_by TEXT NOT NULL, placed_at BIGINT NOT NULL,
                lifted_at BIGINT, lifted_by TEXT)
            """,
            "CREATE INDEX erasure_hold_contact ON erasure_hold (org_id, contact_id)",
            // A person an erasure left partly kept, to be erased in full once no hold stands.
            "ALTER TABLE contact ADD COLUMN erasure_held_at BIGINT",
            // Recipients, transfers, automated decisions and authority: told in every export (Art. 15).
            """
            CREATE TABLE privacy_facts (
                org_id TEXT PRIMARY KEY REFERENCES organization(id), facts TEXT NOT NULL, updated_by TEXT, updated_at BIGINT NOT NULL)
            """,
        ]
    }

    /// Keeps `audit_head` at the end of each chain as entries are inserted, in the
    /// same statement, so the head can never lag and a removed tail is noticed.
    /// `schema` names the attached SQLite file the trigger goes into (migration 3).
    static func auditHeadTrigger(_ store: SQLStore, schema: String? = nil) -> [String] {
        let upsert = AuditLog.advanceHead(from: "VALUES (NEW.org_id, NEW.seq, NEW.hash)") + ";"
        switch store.engine {
        case .sqlite:
            let name = schema.map { "IF NOT EXISTS \($0).audit_event_head" } ?? "audit_event_head"
            return ["CREATE TRIGGER \(name) AFTER INSERT ON audit_event BEGIN \(upsert) END"]
        case .postgres:
            return [
                "CREATE FUNCTION audit_head_advance() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \(upsert) RETURN NULL; END $$",
                "CREATE TRIGGER audit_event_head AFTER INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_head_advance()",
            ]
        }
    }
}

/// The key store's schema, kept apart from the data.
enum KeyMigrations {
    static let all: [Migration] = [subjectKeys, clusteredKeys]

    /// On PostgreSQL the key tables live in their own schema.
    static func table(_ store: SQLStore, _ name: String) -> String {
        store.engine == .postgres ? "guardline_keys.\(name)" : name
    }

    static let subjectKeys = Migration(version: 1, name: "subject keys") { store in
        [
            """
            CREATE TABLE \(table(store, "subject_key")) (
                contact_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, wrapped \(store.blobType) NOT NULL,
                created_at BIGINT NOT NULL)
            """
        ]
    }

    /// On SQLite the key table becomes a WITHOUT ROWID table keyed by contact: a key
    /// is found in one b-tree instead of its primary-key index and then the table, and
    /// a screen pop of a contact whose key is not cached reads one. PostgreSQL is unchanged.
    static let clusteredKeys = Migration(version: 2, name: "subject keys stored by contact") { store in
        guard store.engine == .sqlite else { return [] }
        let columns = "contact_id, org_id, wrapped, created_at"
        return [
            """
            CREATE TABLE subject_key_clustered (
                contact_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, wrapped BLOB NOT NULL, created_at BIGINT NOT NULL) WITHOUT ROWID
            """,
            "INSERT INTO subject_key_clustered (\(columns)) SELECT \(columns) FROM subject_key",
            "DROP TABLE subject_key",
            "ALTER TABLE subject_key_clustered RENAME TO subject_key",
        ]
    }
}
