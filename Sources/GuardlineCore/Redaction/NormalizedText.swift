/// The text as the redactor scans it, each byte remembering where it came from, so that
/// what is found is replaced in the original: every decimal digit an ASCII digit
/// (full-width "４", Arabic-Indic "٤"...), format characters dropped (zero-width spaces
/// and joiners, soft hyphens, direction marks), every space a space and every dash a
/// hyphen, other punctuation and symbols a space, and the HTML no-break space too.
/// Letters and marks stay as they are. Without any of these, the bytes are the text's own.
struct NormalizedText {
    let bytes: [UInt8]
    /// For each byte, the original range it stands for; nil when the text needed no change.
    private let origins: [Range<Int>]?

    init(_ original: [UInt8]) {
        guard original.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "&") }) else {
            bytes = original
            origins = nil
            return
        }
        var bytes: [UInt8] = [], origins: [Range<Int>] = []
        bytes.reserveCapacity(original.count)
        origins.reserveCapacity(original.count)
        var offset = 0
        for scalar in String(decoding: original, as: UTF8.self).unicodeScalars {
            let width = UTF8.width(scalar)
            let range = offset..<(offset + width)
            offset += width
            if scalar.isASCII {
                // "&nbsp;" and "&#160;" in an HTML email are spaces.
                if scalar == "&", let entity = Self.entities.first(where: { original[range.lowerBound...].starts(with: $0) }) {
                    bytes.append(UInt8(ascii: " "))
                    origins.append(range.lowerBound..<(range.lowerBound + entity.count))
                    // The rest of the entity's bytes map to the same space.
                    continue
                }
                if let last = origins.last, last.upperBound > range.lowerBound { continue }
                bytes.append(UInt8(scalar.value))
                origins.append(range)
                continue
            }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .format:
                continue
            case .decimalNumber:
                if let value = properties.numericValue, value >= 0, value <= 9 {
                    bytes.append(UInt8(ascii: "0") + UInt8(value))
                    origins.append(range)
                } else {
                    Self.append(scalar, range, &bytes, &origins)
                }
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                bytes.append(UInt8(ascii: " "))
                origins.append(range)
            case .dashPunctuation:
                bytes.append(UInt8(ascii: "-"))
                origins.append(range)
            case .currencySymbol:
                // £, €, ¥... read as one sign: beside it, digits are a sum of money (`Amounts`).
                bytes.append(UInt8(ascii: "$"))
                origins.append(range)
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark:
                Self.append(scalar, range, &bytes, &origins)
            default:
                bytes.append(UInt8(ascii: " "))
                origins.append(range)
            }
        }
        self.bytes = bytes
        self.origins = origins
    }

    private static let entities: [[UInt8]] = [Array("&nbsp;".utf8), Array("&#160;".utf8), Array("&NonBreakingSpace;".utf8)]

    private static func append(_ scalar: Unicode.Scalar, _ range: Range<Int>, _ bytes: inout [UInt8], _ origins: inout [Range<Int>]) {
        for byte in String(scalar).utf8 {
            bytes.append(byte)
            origins.append(range)
        }
    }

    /// The original range of a range of scanned bytes.
    func original(_ range: Range<Int>) -> Range<Int> {
        guard let origins, !range.isEmpty else { return range }
        return origins[range.lowerBound].lowerBound..<origins[range.upperBound - 1].upperBound
    }
}
