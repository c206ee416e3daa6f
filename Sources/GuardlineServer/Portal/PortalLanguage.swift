import Foundation
import GuardlineCore

/// The languages the privacy portal speaks, and every sentence it says in them. What the
/// organization wrote itself (field names, purposes) is shown as written.
public enum PortalLanguage: String, Sendable, CaseIterable {
    case en
    case pt

    /// The person's choice, else the first of their browser's languages we speak.
    static func pick(query: String?, cookie: String?, acceptLanguage: String?) -> PortalLanguage {
        for choice in [query, cookie].compactMap({ $0 }) { if let language = PortalLanguage(rawValue: choice) { return language } }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = (part.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespaces).lowercased()
            if let language = PortalLanguage(rawValue: String(tag.prefix(2))) { return language }
        }
        return .en
    }

    var name: String {
        switch self {
        case .en: "English"
        case .pt: "Português"
        }
    }

    enum Key: String, CaseIterable {
        case title, intro, addressLabel, addressHint, sendCode, languageLabel
        case codeTitle, codeSent, codeLabel, signIn, wrongCode, startOver
        case homeTitle, signedIn, signOut, heldTitle, heldEmpty, purposesTitle, basis, keptFor, days
        case consentsTitle, consentsEmpty, granted, withdrawn, refused, notGiven, grant, withdraw, consentSaved
        case limitsTitle, restrictedSince, objectedTo, noLimits, keptBecause, until
        case recipientsTitle, noRecipients, transfersTitle, noTransfers, automatedTitle, noAutomated, complainTo, noticeTitle
        case requestsTitle, requestsEmpty, kindColumn, stateColumn, receivedColumn, dueColumn, download, downloadUntil
        case askTitle, askIntro, kindLabel, purposeLabel, marketingOption, fieldLabel, newValueLabel, send, requestFiled
        case tooManyCodes, badAddress, badEmail, emailOnly, sessionEnded, formExpired, unknownRequest
        case codeSubject, requestSubject, skip, footer
    }

    func text(_ key: Key) -> String {
        switch self {
        case .en: Self.english[key] ?? key.rawValue
        case .pt: Self.portuguese[key] ?? Self.english[key] ?? key.rawValue
        }
    }

    /// Every sentence, keyed, for a page's model (`{{t.title}}`).
    var table: [String: String] { Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0.rawValue, text($0)) }) }

    func codeMessage(_ code: String) -> String {
        switch self {
        case .en: "Your code for the privacy portal is \(code). It works for 10 minutes. If you did not ask for it, ignore this message: nothing happens without the code."
        case .pt: "O seu código para o portal de privacidade é \(code). É válido durante 10 minutos. Se não o pediu, ignore esta mensagem: nada acontece sem o código."
        }
    }

    func day(_ date: Date) -> String { RequestDeadline.day(date) }

    func kind(_ kind: RequestKind) -> String {
        switch self {
        case .en: kind.label
        case .pt:
            switch kind {
            case .access: "Acesso aos seus dados"
            case .portability: "Portabilidade dos seus dados"
            case .rectification: "Retificação"
            case .erasure: "Apagamento"
            case .restriction: "Limitação do tratamento"
            case .objection: "Oposição"
            }
        }
    }

    func state(_ state: RequestState) -> String {
        switch self {
        case .en: state.label
        case .pt:
            switch state {
            case .received: "Recebido"
            case .verifyingIdentity: "A confirmar a sua identidade"
            case .inProgress: "Em curso"
            case .awaitingApproval: "A aguardar aprovação"
            case .completed: "Respondido"
            case .rejected: "Recusado"
            case .cancelled: "Cancelado"
            }
        }
    }

    /// What the person is told when their request moves: extended (with the new date and
    /// why) or answered.
    /// `authority`: where a refused person may complain (Art. 12(4)).
    func progress(_ request: SubjectRequest, kept: [ErasureHold.Ground] = [], authority: String? = nil) -> String {
        var said = progress(request)
        if request.state == .rejected {
            let why = request.rejection.map(rejection)
            switch self {
            case .en: said += (why.map { " Why: \($0)." } ?? "") + " You may complain to \(authority ?? "your data protection authority") or go to court."
            case .pt: said += (why.map { " Motivo: \($0)." } ?? "") + " Pode apresentar reclamação a \(authority ?? "a autoridade de proteção de dados") ou recorrer aos tribunais."
            }
        }
        guard !kept.isEmpty else { return said }
        let grounds = kept.map(ground).joined(separator: "; ")
        switch self {
        case .en: return said + " We must keep some of your data, and no longer use it otherwise: \(grounds)."
        case .pt: return said + " Temos de guardar alguns dos seus dados, sem os usar para mais nada: \(grounds)."
        }
    }

    func rejection(_ reason: RejectionReason) -> String {
        switch self {
        case .en: reason.label
        case .pt:
            switch reason {
            case .identityNotVerified: "Não conseguimos confirmar quem é (art. 12.º, n.º 6)"
            case .manifestlyUnfounded: "O pedido é manifestamente infundado (art. 12.º, n.º 5)"
            case .excessive: "O pedido repete pedidos anteriores de forma excessiva (art. 12.º, n.º 5)"
            case .legalObligation: "A lei obriga-nos a conservar estes dados (art. 17.º, n.º 3)"
            case .overridingGrounds: "Razões legítimas imperiosas prevalecem sobre a oposição (art. 21.º, n.º 1)"
            case .dataAccurate: "Os dados foram verificados e estão corretos (art. 16.º)"
            }
        }
    }

    func ground(_ ground: ErasureHold.Ground) -> String {
        switch self {
        case .en: ground.label
        case .pt:
            switch ground {
            case .legalClaim: "Processos judiciais (art. 17.º, n.º 3, al. e))"
            case .openContract: "Um contrato consigo ainda em curso (art. 6.º, n.º 1, al. b))"
            case .invoices: "Faturas que a lei nos obriga a guardar (art. 17.º, n.º 3, al. b))"
            }
        }
    }

    private func progress(_ request: SubjectRequest) -> String {
        let kind = kind(request.kind)
        switch (self, request.state.isOpen) {
        case (.en, true):
            return "We need more time to answer your request (\(kind)): \(request.extended?.label ?? "it is complex"). We will answer by \(day(request.dueAt)), as the law allows (GDPR Art. 12(3))."
        case (.pt, true):
            let why = switch request.extended {
            case .numberOfRequests: "recebemos muitos pedidos"
            default: "o pedido é complexo"
            }
            return "Precisamos de mais tempo para responder ao seu pedido (\(kind)): \(why). Responderemos até \(day(request.dueAt)), como a lei permite (RGPD, art. 12.º, n.º 3)."
        case (.en, false):
            return "Your request (\(kind)) is now: \(state(request.state)). See the details, and download your data where you asked for it, on the privacy portal."
        case (.pt, false):
            return "O seu pedido (\(kind)) está agora: \(state(request.state)). Veja os detalhes, e descarregue os seus dados se os pediu, no portal de privacidade."
        }
    }

    private static let english: [Key: String] = [
        .title: "Your data and your rights",
        .intro: "See what we hold about you, download it, change your consents, or ask us to correct, erase or stop using your data. We send a one-time code to confirm it is you.",
        .addressLabel: "Your email address or mobile number",
        .addressHint: "The one we have on record. Mobile numbers in international form, e.g. +351 912 345 678.",
        .sendCode: "Send me a code",
        .languageLabel: "Language",
        .codeTitle: "Enter your code",
        .codeSent: "If this address is on our records, we have sent a 6-digit code to it. It works for 10 minutes and for 3 tries.",
        .codeLabel: "6-digit code",
        .signIn: "Continue",
        .wrongCode: "That code is not right, has expired or was used up. Try again, or ask for a new code.",
        .startOver: "Ask for a new code",
        .homeTitle: "Your data",
        .signedIn: "You are signed in for 30 minutes. Everything you do here is recorded, as everything our staff do with your data is.",
        .signOut: "Sign out",
        .heldTitle: "What we hold about you",
        .heldEmpty: "We hold nothing about you beyond this record.",
        .purposesTitle: "Why we use it",
        .basis: "Legal basis",
        .keptFor: "Kept for",
        .days: "days",
        .consentsTitle: "Your consents",
        .consentsEmpty: "Nothing we do with your data depends on your consent.",
        .granted: "Given",
        .withdrawn: "Withdrawn",
        .refused: "Refused",
        .notGiven: "Not given",
        .grant: "Give consent",
        .withdraw: "Withdraw consent",
        .consentSaved: "Your choice is recorded.",
        .limitsTitle: "Limits on our use of your data",
        .restrictedSince: "We keep your data but do not use it (restricted) since",
        .objectedTo: "You objected to",
        .noLimits: "You have set no limits.",
        .keptBecause: "We must keep some of your data",
        .recipientsTitle: "Who else receives it",
        .noRecipients: "Nobody outside our organization.",
        .transfersTitle: "Outside the European Economic Area",
        .noTransfers: "Your data is not transferred outside the European Economic Area.",
        .automatedTitle: "Automated decisions",
        .noAutomated: "No decision about you is taken by automated means alone, and you are not profiled.",
        .complainTo: "You may complain to",
        .noticeTitle: "Our privacy notice, on which you decide",
        .until: "until",
        .requestsTitle: "Your requests",
        .requestsEmpty: "You have made no requests.",
        .kindColumn: "Request",
        .stateColumn: "Where it stands",
        .receivedColumn: "Received",
        .dueColumn: "We answer by",
        .download: "Download your data",
        .downloadUntil: "available until",
        .askTitle: "Ask us something",
        .askIntro: "We answer within one month. You may ask for a copy of your data, to correct it, to erase it, to stop using it for a while, or object to a use.",
        .kindLabel: "What you want",
        .purposeLabel: "For objections: the use you object to",
        .marketingOption: "Direct marketing (all of it)",
        .fieldLabel: "For corrections: what to correct",
        .newValueLabel: "The right value",
        .send: "Send request",
        .requestFiled: "We have your request. We will answer by",
        .tooManyCodes: "Too many codes were asked for; wait a few minutes and try again.",
        .badAddress: "That is not an email address or an international phone number (e.g. +351 912 345 678).",
        .badEmail: "That is not a valid email address.",
        .emailOnly: "Codes are sent by email here: give your email address.",
        .sessionEnded: "Your session ended. Ask for a new code to continue.",
        .formExpired: "The form expired; reload the page and try again.",
        .unknownRequest: "There is no such request of yours.",
        .codeSubject: "Your privacy portal code",
        .requestSubject: "Your data protection request",
        .skip: "Skip to the content",
        .footer: "Your rights under the GDPR: access, rectification, erasure, restriction, portability and objection (Articles 15 to 21). You may also complain to your data protection authority.",
    ]

    private static let portuguese: [Key: String] = [
        .title: "Os seus dados e os seus direitos",
        .intro: "Veja o que guardamos sobre si, descarregue-o, altere os seus consentimentos, ou peça-nos para corrigir, apagar ou deixar de usar os seus dados. Enviamos um código de uso único para confirmar que é você.",
        .addressLabel: "O seu email ou número de telemóvel",
        .addressHint: "O que temos registado. Números no formato internacional, p. ex. +351 912 345 678.",
        .sendCode: "Enviar-me um código",
        .languageLabel: "Idioma",
        .codeTitle: "Introduza o seu código",
        .codeSent: "Se este endereço constar dos nossos registos, enviámos-lhe um código de 6 algarismos. É válido durante 10 minutos e para 3 tentativas.",
        .codeLabel: "Código de 6 algarismos",
        .signIn: "Continuar",
        .wrongCode: "Esse código não está certo, expirou ou já foi usado. Tente de novo ou peça um código novo.",
        .startOver: "Pedir um código novo",
        .homeTitle: "Os seus dados",
        .signedIn: "Tem sessão iniciada durante 30 minutos. Tudo o que fizer aqui fica registado, tal como tudo o que a nossa equipa faz com os seus dados.",
        .signOut: "Terminar sessão",
        .heldTitle: "O que guardamos sobre si",
        .heldEmpty: "Não guardamos nada sobre si além deste registo.",
        .purposesTitle: "Para que os usamos",
        .basis: "Fundamento jurídico",
        .keptFor: "Conservados durante",
        .days: "dias",
        .consentsTitle: "Os seus consentimentos",
        .consentsEmpty: "Nada do que fazemos com os seus dados depende do seu consentimento.",
        .granted: "Dado",
        .withdrawn: "Retirado",
        .refused: "Recusado",
        .notGiven: "Não dado",
        .grant: "Dar consentimento",
        .withdraw: "Retirar consentimento",
        .consentSaved: "A sua escolha ficou registada.",
        .limitsTitle: "Limites ao uso dos seus dados",
        .restrictedSince: "Guardamos os seus dados mas não os usamos (limitação) desde",
        .objectedTo: "Opôs-se a",
        .noLimits: "Não definiu limites.",
        .keptBecause: "Temos de guardar alguns dos seus dados",
        .recipientsTitle: "Quem mais os recebe",
        .noRecipients: "Ninguém fora da nossa organização.",
        .transfersTitle: "Fora do Espaço Económico Europeu",
        .noTransfers: "Os seus dados não são transferidos para fora do Espaço Económico Europeu.",
        .automatedTitle: "Decisões automatizadas",
        .noAutomated: "Nenhuma decisão sobre si é tomada apenas por meios automatizados, e não é alvo de definição de perfis.",
        .complainTo: "Pode apresentar reclamação a",
        .noticeTitle: "A nossa informação sobre privacidade, com base na qual decide",
        .until: "até",
        .requestsTitle: "Os seus pedidos",
        .requestsEmpty: "Não fez pedidos.",
        .kindColumn: "Pedido",
        .stateColumn: "Situação",
        .receivedColumn: "Recebido",
        .dueColumn: "Respondemos até",
        .download: "Descarregar os seus dados",
        .downloadUntil: "disponível até",
        .askTitle: "Faça-nos um pedido",
        .askIntro: "Respondemos no prazo de um mês. Pode pedir uma cópia dos seus dados, corrigi-los, apagá-los, suspender o seu uso, ou opor-se a um uso.",
        .kindLabel: "O que pretende",
        .purposeLabel: "Para oposições: o uso a que se opõe",
        .marketingOption: "Marketing direto (todo)",
        .fieldLabel: "Para correções: o que corrigir",
        .newValueLabel: "O valor certo",
        .send: "Enviar pedido",
        .requestFiled: "Recebemos o seu pedido. Responderemos até",
        .tooManyCodes: "Foram pedidos demasiados códigos; aguarde alguns minutos e tente de novo.",
        .badAddress: "Isso não é um email nem um número de telefone internacional (p. ex. +351 912 345 678).",
        .badEmail: "Isso não é um endereço de email válido.",
        .emailOnly: "Aqui os códigos são enviados por email: indique o seu email.",
        .sessionEnded: "A sua sessão terminou. Peça um código novo para continuar.",
        .formExpired: "O formulário expirou; recarregue a página e tente de novo.",
        .unknownRequest: "Não há nenhum pedido seu com essa referência.",
        .codeSubject: "O seu código do portal de privacidade",
        .requestSubject: "O seu pedido de proteção de dados",
        .skip: "Saltar para o conteúdo",
        .footer: "Os seus direitos ao abrigo do RGPD: acesso, retificação, apagamento, limitação, portabilidade e oposição (artigos 15.º a 21.º). Pode também apresentar reclamação à autoridade de controlo (CNPD).",
    ]
}
