import Foundation
import GuardlineCore

/// Fixed values shared by the core tests: one organization, one contact, a frozen date.
enum Fixture {
    static let org = OrganizationID("01890a5d-ac96-774b-bcce-b302099a8057")!
    static let otherOrg = OrganizationID("01890a5d-ac96-774b-bcce-b302099a8058")!
    static let contact = ContactID("01890a5d-ac96-7a4b-8cce-b302099a8001")!
    static let date = Date(timeIntervalSince1970: 1_700_000_000)

    static func profile(_ fields: [FieldKey: FieldRule], capabilities: Set<Capability> = []) -> AccessProfile {
        AccessProfile(
            id: .make(at: date), orgID: org, name: "Test profile", fields: fields,
            capabilities: capabilities, createdAt: date, updatedAt: date)
    }

    static func profile(_ template: StandardProfiles.Template) -> AccessProfile {
        profile(template.fields, capabilities: template.capabilities)
    }
}
