import Foundation

/// The tokens of a person's name, folded for exact-token lookup:
/// "José  Álvarez-Núñez" gives ["jose", "alvarez", "nunez"].
public enum NameTokens {
    public static func of(_ name: String) -> [String] {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var seen = Set<String>()
        var tokens: [String] = []
        for token in folded.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where !token.isEmpty {
            let value = String(token)
            if seen.insert(value).inserted { tokens.append(value) }
        }
        return tokens
    }
}
