import Foundation
import GuardlineAPI
import GuardlineCore
import GuardlineStore

/// Domain values to and from the generated API types.
extension APIController {
    static func user(_ user: StaffUser) -> Components.Schemas.User {
        .init(id: user.id.description, email: user.email, name: user.name, role: .init(rawValue: user.role.rawValue)!,
              teamId: user.teamID?.description, profileId: user.profileID?.description, disabled: user.disabled,
              createdAt: user.createdAt)
    }

    static func team(_ team: Team) -> Components.Schemas.Team {
        .init(id: team.id.description, name: team.name, profileId: team.profileID.description, createdAt: team.createdAt)
    }

    static func rule(_ rule: FieldRule) -> Components.Schemas.FieldRule {
        .init(access: .init(rawValue: rule.access.rawValue)!, mask: rule.access == .masked ? .init(rawValue: rule.mask.rawValue) : nil)
    }

    static func rule(_ rule: Components.Schemas.FieldRule) -> FieldRule {
        FieldRule(access: FieldAccess(rawValue: rule.access.rawValue)!, mask: rule.mask.flatMap { MaskFormat(rawValue: $0.rawValue) } ?? .redacted)
    }

    static func capabilities(_ set: Set<Capability>) -> [Components.Schemas.Capability] {
        set.map(\.rawValue).sorted().compactMap(Components.Schemas.Capability.init(rawValue:))
    }

    static func profile(_ profile: AccessProfile) -> Components.Schemas.AccessProfile {
        .init(id: profile.id.description, name: profile.name,
              fields: .init(additionalProperties: Dictionary(uniqueKeysWithValues: profile.fields.map { ($0.key.rawValue, rule($0.value)) })),
              capabilities: capabilities(profile.capabilities), createdAt: profile.createdAt, updatedAt: profile.updatedAt,
              contextRule: .init(rawValue: profile.contextRule.rawValue)!)
    }

    static func contact(_ view: ContactView) -> Components.Schemas.Contact {
        .init(id: view.id.description, reference: view.reference?.description,
              fields: .init(additionalProperties: Dictionary(uniqueKeysWithValues: view.fields.map { ($0.key.rawValue, $0.value) })),
              masked: view.masked.map(\.rawValue).sorted(), editable: view.editable.map(\.rawValue).sorted(),
              createdAt: view.createdAt, updatedAt: view.updatedAt)
    }

    static func field(_ field: DataField) -> Components.Schemas.DataField {
        .init(key: field.key.rawValue, label: field.label, category: field.category, specialCategory: field.specialCategory,
              purposes: field.purposes, stages: field.stages)
    }

    static func purpose(_ purpose: Purpose) -> Components.Schemas.Purpose {
        .init(key: purpose.key, name: purpose.name, description: purpose.description,
              lawfulBasis: .init(rawValue: purpose.lawfulBasis.rawValue)!, retentionDays: purpose.retentionDays,
              channels: purpose.channels.map { .init(rawValue: $0.rawValue)! }, stages: purpose.stages, active: purpose.active)
    }

    static func auditEntry(_ entry: AuditEntry) -> Components.Schemas.AuditEntry {
        .init(seq: entry.seq, at: entry.record.at, actorId: entry.record.actorID,
              actorKind: .init(rawValue: entry.record.actorKind.rawValue)!, action: entry.record.action,
              contactId: entry.record.contactID?.description, fields: entry.record.fields, context: entry.record.context,
              hash: entry.hash.hex)
    }

    static func token(_ token: StoredToken) -> Components.Schemas.ApiToken {
        .init(id: token.id.description, name: token.name,
              scopes: token.scopes.map(\.rawValue).sorted().compactMap(Components.Schemas.TokenScope.init(rawValue:)),
              createdAt: token.createdAt, expiresAt: token.expiresAt, lastUsedAt: token.lastUsedAt)
    }
}
