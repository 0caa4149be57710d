extension String {
    /// Every occurrence of `target` replaced, without Foundation (the writers stay Foundation-free
    /// so that their output cannot depend on a locale).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
