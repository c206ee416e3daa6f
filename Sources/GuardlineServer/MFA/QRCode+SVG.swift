extension QRCode {
    /// The symbol as a self-contained SVG document, to inline in the enrolment page.
    ///
    /// Inline rather than an image URL so the secret in the code is never served
    /// from a cacheable address. Dark modules are one `<path>` of horizontal runs
    /// in module units, scaled by `width`/`height`; `crispEdges` keeps scaled
    /// edges sharp so scanners see clean modules.
    ///
    /// - Parameters:
    ///   - moduleSize: Pixels per module (at least 1).
    ///   - quietZone: Light border in modules; the standard asks for 4.
    ///   - label: Accessible name for screen readers, XML-escaped here.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, label: String = "QR code") -> String {
        let border = max(0, quietZone)
        let extent = size + 2 * border
        let pixels = extent * max(1, moduleSize)
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else { x += 1; continue }
                let start = x
                while x < size, self[x, y] { x += 1 }
                path += "M\(start + border) \(y + border)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(extent) \(extent)" role="img" aria-label="\(ConsolePage.escape(label))" \
            shape-rendering="crispEdges"><rect width="\(extent)" height="\(extent)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }
}
