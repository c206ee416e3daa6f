/// A QR code (ISO/IEC 18004) symbol, encoded here so enrolling an authenticator
/// app needs no third-party library and no image sent to an outside service:
/// the `otpauth://` URI holds the TOTP secret and must never leave the server
/// except in the page shown to the staff member enrolling.
///
/// Always byte mode at error correction level M (about 15 % of the symbol can be
/// damaged), the smallest of versions 1–40 that fits, and the mask with the
/// lowest penalty under the rules of ISO/IEC 18004:2015 §7.8.3.1 (ties go to
/// the lower mask number). Text is encoded as its UTF-8 bytes without an ECI
/// header; the URIs this is for are ASCII.
public struct QRCode: Sendable {
    /// Modules per side: 21 for version 1, four more per version.
    public let size: Int
    /// The symbol version, 1–40.
    public let version: Int
    /// The mask pattern applied, 0–7.
    let mask: Int
    private let modules: [Bool]

    /// Encodes `text`, throwing ``QRCodeError`` if it is too long for version 40.
    public init(encoding text: String) throws {
        let bytes = Array(text.utf8)
        guard let version = (1...40).first(where: { Self.capacity(of: $0) >= bytes.count }) else {
            throw QRCodeError(byteCount: bytes.count, capacity: Self.capacity(of: 40))
        }
        let codewords = Self.addErrorCorrection(to: Self.dataCodewords(bytes, version: version), version: version)
        var canvas = QRCanvas(version: version)
        canvas.drawFunctionPatterns()
        canvas.placeData(codewords)
        let penalties = (0..<8).map { canvas.penalty(withMask: $0) }
        let mask = penalties.indices.min { penalties[$0] < penalties[$1] } ?? 0
        canvas.applyMask(mask)
        canvas.drawFormatBits(mask: mask)
        self.size = canvas.size
        self.version = version
        self.mask = mask
        self.modules = canvas.modules
    }

    /// Whether the module at column `x`, row `y` is dark; (0, 0) is the top left.
    public subscript(x: Int, y: Int) -> Bool {
        precondition((0..<size).contains(x) && (0..<size).contains(y), "QR module (\(x), \(y)) is outside the symbol")
        return modules[y * size + x]
    }
}

/// Thrown when text does not fit in the largest QR code version at level M.
public struct QRCodeError: Error, CustomStringConvertible {
    /// UTF-8 length of the text that was refused.
    public let byteCount: Int
    /// The most bytes a supported version holds.
    public let capacity: Int

    public var description: String {
        "The text is \(byteCount) bytes, too long for a QR code (at most \(capacity) bytes at error correction level M); shorten it."
    }
}

// MARK: - Codewords

extension QRCode {
    /// Error correction codewords per block at level M, indexed by version.
    private static let eccPerBlock = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    /// Number of Reed–Solomon blocks at level M, indexed by version.
    private static let blockCount = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    /// Codewords (data and ECC) a version holds: every module not taken by a function pattern, in bytes.
    static func totalCodewords(_ version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { modules -= 36 }
        }
        return modules / 8
    }

    /// Data codewords a version holds at level M, once the ECC is set aside.
    static func dataCapacity(_ version: Int) -> Int {
        totalCodewords(version) - eccPerBlock[version] * blockCount[version]
    }

    private static func countBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Bytes of text a version holds in byte mode.
    static func capacity(of version: Int) -> Int {
        (dataCapacity(version) * 8 - 4 - countBits(version)) / 8
    }

    /// Mode indicator, length, data, terminator and the 0xEC 0x11 padding.
    private static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = [Bool]()
        func append(_ value: Int, _ count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, countBits(version))
        for byte in bytes { append(Int(byte), 8) }
        let capacityBits = dataCapacity(version) * 8
        append(0, min(4, capacityBits - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        for index in 0..<(capacityBits / 8 - codewords.count) { codewords.append(index % 2 == 0 ? 0xEC : 0x11) }
        return codewords
    }

    /// Splits data into blocks, appends each block's ECC and interleaves them.
    private static func addErrorCorrection(to data: [UInt8], version: Int) -> [UInt8] {
        let blocks = blockCount[version], eccLength = eccPerBlock[version]
        let total = totalCodewords(version)
        let shortBlocks = blocks - total % blocks
        let shortDataLength = total / blocks - eccLength
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var dataBlocks = [[UInt8]](), eccBlocks = [[UInt8]]()
        var start = 0
        for index in 0..<blocks {
            let length = shortDataLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(of: block, divisor: divisor))
        }
        var result = [UInt8]()
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }
}

/// Reed–Solomon over GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
private enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var product: UInt16 = 0
        for bit in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= UInt16((y >> UInt8(bit)) & 1) * UInt16(x)
        }
        return UInt8(product)
    }

    /// Coefficients (highest first, leading 1 omitted) of ∏ (x − αⁱ) for i < degree.
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                result[index] = multiply(result[index], root)
                if index + 1 < degree { result[index] ^= result[index + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    /// The ECC codewords: `data` · x^degree modulo the divisor.
    static func remainder(of data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= multiply(divisor[index], factor) }
        }
        return result
    }
}

// MARK: - Module placement

/// The symbol under construction, with the modules reserved for function patterns.
private struct QRCanvas {
    let version: Int
    let size: Int
    var modules: [Bool]
    var reserved: [Bool]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        modules = Array(repeating: false, count: size * size)
        reserved = modules
    }

    subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        reserved[y * size + x] = true
    }

    /// Finders with separators, timing, alignment, the dark module, and placeholders for format and version info.
    mutating func drawFunctionPatterns() {
        for index in 0..<size {
            set(6, index, index % 2 == 0)
            set(index, 6, index % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            drawSquare(centerX: x, centerY: y, radius: 4) { $0 != 2 && $0 != 4 }
        }
        let centers = alignmentCenters
        for x in centers {
            for y in centers where !(x == 6 && y == 6) && !(x == 6 && y == size - 7) && !(x == size - 7 && y == 6) {
                drawSquare(centerX: x, centerY: y, radius: 2) { $0 != 1 }
            }
        }
        drawFormatBits(mask: 0)
        drawVersionBits()
    }

    /// Draws a square of rings around a center, each ring dark if `isDark(distance)`; clipped to the symbol.
    private mutating func drawSquare(centerX: Int, centerY: Int, radius: Int, isDark: (Int) -> Bool) {
        for dy in -radius...radius {
            for dx in -radius...radius {
                let x = centerX + dx, y = centerY + dy
                if (0..<size).contains(x), (0..<size).contains(y) { set(x, y, isDark(max(abs(dx), abs(dy)))) }
            }
        }
    }

    /// Row and column coordinates of alignment pattern centers, evenly spaced from 6 to size − 7.
    private var alignmentCenters: [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<count - 1).map { size - 7 - $0 * step }.reversed()
    }

    /// Level M and the mask as 15 BCH-protected bits, in both copies, plus the dark module.
    mutating func drawFormatBits(mask: Int) {
        let data = 0b00 << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        for index in 0...5 { set(8, index, bit(index)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for index in 9..<15 { set(14 - index, 8, bit(index)) }
        for index in 0..<8 { set(size - 1 - index, 8, bit(index)) }
        for index in 8..<15 { set(8, size - 15 + index, bit(index)) }
        set(8, size - 8, true)
    }

    /// The version number with its 12 BCH bits, in the two 6×3 blocks (version 7 and up).
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let long = size - 11 + index % 3, short = index / 3
            set(long, short, dark)
            set(short, long, dark)
        }
    }

    /// Places codewords most significant bit first in two-column zigzags from the bottom right.
    mutating func placeData(_ codewords: [UInt8]) {
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !reserved[y * size + x] && bitIndex < codewords.count * 8 {
                    modules[y * size + x] = (codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// Flips the data modules where mask pattern `mask` is true; applying it twice undoes it.
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !reserved[y * size + x] {
                let flip = switch mask {
                case 0: (x + y) % 2 == 0
                case 1: y % 2 == 0
                case 2: x % 3 == 0
                case 3: (x + y) % 3 == 0
                case 4: (x / 3 + y / 2) % 2 == 0
                case 5: x * y % 2 + x * y % 3 == 0
                case 6: (x * y % 2 + x * y % 3) % 2 == 0
                default: ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flip { modules[y * size + x].toggle() }
            }
        }
    }

    /// The penalty score the symbol would have with `mask` (the canvas is left as it was).
    mutating func penalty(withMask mask: Int) -> Int {
        let saved = modules
        defer { modules = saved }
        applyMask(mask)
        drawFormatBits(mask: mask)
        return MaskPenalty(canvas: self).score
    }
}

/// The four penalty rules of ISO/IEC 18004:2015 §7.8.3.1; lower is easier to scan.
///
/// Scored on the complete symbol, format bits included, as most encoders do;
/// any mask gives a valid symbol, so this only affects scanning comfort.
private struct MaskPenalty {
    let canvas: QRCanvas

    var score: Int {
        let size = canvas.size
        let rows = (0..<size).map { y in (0..<size).map { x in canvas[x, y] } }
        let columns = (0..<size).map { x in (0..<size).map { y in canvas[x, y] } }
        var score = 0
        for line in rows + columns { score += runs(line) + finderLike(line) }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let color = canvas[x, y]
                if canvas[x + 1, y] == color, canvas[x, y + 1] == color, canvas[x + 1, y + 1] == color { score += 3 }
            }
        }
        let dark = canvas.modules.count { $0 }, total = size * size
        score += ((abs(dark * 20 - total * 10) + total - 1) / total - 1) * 10
        return score
    }

    /// Rule 1: 3 + (n − 5) for each run of n ≥ 5 modules of one color.
    private func runs(_ line: [Bool]) -> Int {
        var score = 0, length = 1
        for index in 1...line.count {
            if index < line.count, line[index] == line[index - 1] {
                length += 1
            } else {
                if length >= 5 { score += length - 2 }
                length = 1
            }
        }
        return score
    }

    /// Rule 3: 40 for each dark-light-dark×3-light-dark run with four light modules on either side
    /// (outside the symbol counts as light, as the quiet zone is).
    private func finderLike(_ line: [Bool]) -> Int {
        let pattern = [true, false, true, true, true, false, true]
        func isLight(_ range: Range<Int>) -> Bool { range.allSatisfy { !line.indices.contains($0) || !line[$0] } }
        var score = 0
        for start in 0...(line.count - pattern.count) where Array(line[start..<start + 7]) == pattern {
            if isLight(start - 4..<start) || isLight(start + 7..<start + 11) { score += 40 }
        }
        return score
    }
}
