extension PolicyCatalog {
    /// The connector's built-in presets.
    static let standard = PolicyCatalog(presetNames: [], presetTransports: { _, _ in nil })
}
