import GuardlineCore

/// What every signed-in page shows around its content: who is signed in,
/// the navigation their capabilities open, and the CSRF token for forms.
struct Chrome {
    struct Link {
        let href: String
        let label: String
        let current: Bool
    }

    let userName: String
    let roleLabel: String
    let profileName: String
    let csrf: String
    let nav: [Link]
    let flash: String?

    init(_ principal: Principal, csrf: String, current: String, flash: String? = nil) {
        userName = principal.user.name
        roleLabel = principal.user.role.label
        profileName = principal.profile.name
        self.csrf = csrf
        self.flash = flash
        let has = principal.authorization.has
        let links: [(String, String, Bool)] = [
            ("/lookup", "Caller lookup", true),
            ("/desk", "Desk", true),
            ("/contacts/new", "New contact", has(.createContacts)),
            ("/contacts", "Contacts", has(.listContacts)),
            ("/contacts/import", "Import contacts", has(.importContacts)),
            ("/campaigns", "Campaigns", has(.manageCampaigns) || has(.dialCampaigns)),
            // The DPO lifts a "do not call me" the person takes back; that form is all they see there.
            ("/campaigns", "Suppression list", has(.restrictProcessing) && !has(.manageCampaigns) && !has(.dialCampaigns)),
            ("/requests", "Requests", has(.handleRequests)),
            ("/audit", "Audit log", has(.readAudit)),
            ("/admin/users", "Users", has(.manageUsers)),
            ("/admin/teams", "Teams", has(.manageUsers)),
            ("/admin/profiles", "Access profiles", has(.manageProfiles)),
            ("/admin/purposes", "Purposes", has(.manageCatalog)),
            ("/admin/notices", "Notices and scripts", has(.manageCatalog)),
            ("/account/tokens", "API tokens", true),
            ("/account/mfa", "Two-step sign-in", true),
        ]
        nav = links.filter(\.2).map { Link(href: $0.0, label: $0.1, current: $0.0 == current) }
    }
}
