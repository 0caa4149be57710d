/// How a side must end on `bytes` fed whole: by the version byte and the byte count alone.
enum ExpectedEnd {
    case failed(version: UInt8)
    case incomplete
    case completed(leftover: [UInt8])
}

extension ExpectedEnd {
    static func of(_ bytes: [UInt8], exchangeSize: Int) -> ExpectedEnd {
        guard let version = bytes.first else { return .incomplete }
        if version != 0x03 { return .failed(version: version) }
        return bytes.count >= exchangeSize ? .completed(leftover: Array(bytes[exchangeSize...])) : .incomplete
    }
}
