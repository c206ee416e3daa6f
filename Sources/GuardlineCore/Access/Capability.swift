/// What a profile lets its holder do beyond seeing fields. Deny by default:
/// a capability a profile does not list is not granted.
public enum Capability: String, Sendable, Codable, CaseIterable {
    /// Look contacts up by name (phone and email lookups need no capability).
    case searchByName
    /// Browse the contact list rather than reach contacts by lookup.
    case listContacts
    /// Export contact data.
    case export
    /// Reveal a masked field in clear, with a stated reason.
    case reveal
    case createContacts
    /// Erase contacts (crypto-shredding).
    case deleteContacts
    case readAudit
    case manageUsers
    case manageProfiles
    case manageCatalog
    /// See Art. 9 special-category fields (health, beliefs, biometrics...), and only
    /// those the profile names: without it they are hidden whatever the field rule says.
    case specialCategories
    /// Record a contact's consent decisions (granted, refused, withdrawn) and move them along the journey.
    case recordConsent
    /// Create outbound campaigns, build their lists and keep the suppression list.
    case manageCampaigns
    /// Take the next contact of a campaign (preview dialing) and record the outcome.
    case dialCampaigns
    /// Restrict a contact's processing (Art. 18) and record objections to purposes (Art. 21).
    case restrictProcessing
    /// Import contacts in bulk from a CSV file (the console's import page, `guardline import contacts`).
    case importContacts
    /// Read what was said in a contact's interactions that others handled (notes, messages,
    /// transcripts); without it an agent reads only their own and sees the rest as entries.
    case readInteractions
    /// See every interaction of the organization, of every team and of callers not yet known (the DPO).
    case allInteractions
    /// Play call recordings back (every playback is audited).
    case playRecordings
    /// Handle data subject requests: verify identity by any method, extend, reject, carry them out.
    case handleRequests

    public var label: String {
        switch self {
        case .searchByName: "Search by name"
        case .listContacts: "List contacts"
        case .export: "Export"
        case .reveal: "Reveal masked fields"
        case .createContacts: "Create contacts"
        case .deleteContacts: "Erase contacts"
        case .readAudit: "Read the audit log"
        case .manageUsers: "Manage users and teams"
        case .manageProfiles: "Manage access profiles"
        case .manageCatalog: "Manage the data catalog"
        case .specialCategories: "See special categories (Art. 9)"
        case .recordConsent: "Record consent decisions"
        case .manageCampaigns: "Manage campaigns and the suppression list"
        case .dialCampaigns: "Dial campaigns (preview)"
        case .restrictProcessing: "Restrict processing, record objections"
        case .importContacts: "Import contacts from CSV"
        case .readInteractions: "Read others' interaction content"
        case .allInteractions: "See every team's interactions"
        case .playRecordings: "Play call recordings"
        case .handleRequests: "Handle data subject requests"
        }
    }
}
