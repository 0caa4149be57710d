import LiveNet

extension RunResults {
    /// One block per external client run: how it ended and every attempt the network saw, so the
    /// console shows a client's fallback (or its lack: rtmpdump under a dropped 1935 only ever
    /// tries 1935). Empty when no external client ran.
    package var externalClientSummaries: [String] {
        records.compactMap { record in
            guard let external = record.external else { return nil }
            var lines = ["\(record.scenarioName) / \(record.policy) \(record.label): \(external.summary)"]
            lines.append("  ran: " + external.process.arguments.joined(separator: " "))
            let attempts = external.attemptSummary
            if attempts.isEmpty {
                lines.append("  no attempt seen (a refused connect is over too fast to see without a capture)")
            }
            for attempt in attempts { lines.append("  " + attempt) }
            if external.timeToConnect == nil {
                let output = (external.process.standardError.text + external.process.standardOutput.text)
                    .split(separator: "\n").suffix(3)
                for line in output { lines.append("  | " + line) }
            }
            return lines.joined(separator: "\n")
        }
    }
}
