/// The code step of a console sign-in.
struct LoginCodePage {
    let csrf: String
    let error: String?
}

/// A person's own two-step sign-in: set it up, or see that it is on.
struct MFAPage {
    struct Enrolment {
        let uri: String
        let secret: String
        let qrSVG: String
    }

    let chrome: Chrome
    let enrolled: Bool
    let required: Bool
    let recoveryLeft: Int
    let enrolment: Enrolment?
    let recoveryCodes: [String]
    let showCodes: Bool
    let error: String?

    init(chrome: Chrome, status: StaffMFA.Status, recoveryLeft: Int, enrolment: StaffMFA.Enrolment?, recoveryCodes: [String] = [], error: String? = nil) {
        self.chrome = chrome
        enrolled = status.enrolled
        required = status.required
        self.recoveryLeft = recoveryLeft
        self.enrolment = enrolment.map { Enrolment(uri: $0.uri, secret: $0.secret, qrSVG: $0.qrSVG) }
        self.recoveryCodes = recoveryCodes
        showCodes = !recoveryCodes.isEmpty
        self.error = error
    }
}
