/// Coded for the hand-back from a namespace worker. `ContinuousClock.Instant`s mean nothing in
/// another process, so the duration is what crosses: a decoded result ends at the moment it was
/// decoded and started `duration` before (every measurement of the run is already an offset from
/// the spawn, so nothing else depends on the instants).
extension ClientProcessResult: Codable {
    private enum CodingKeys: String, CodingKey {
        case arguments, executable, duration, reapedAfter, reason, termination, neededKill, standardOutput, standardError
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        arguments = try container.decode([String].self, forKey: .arguments)
        executable = try container.decode(String.self, forKey: .executable)
        let duration = try container.decode(Duration.self, forKey: .duration)
        ended = ContinuousClock.now
        started = ended - duration
        reaped = started + (try container.decodeIfPresent(Duration.self, forKey: .reapedAfter) ?? duration)
        reason = try container.decode(Reason.self, forKey: .reason)
        termination = try container.decode(Termination.self, forKey: .termination)
        neededKill = try container.decode(Bool.self, forKey: .neededKill)
        standardOutput = try container.decode(OutputTail.self, forKey: .standardOutput)
        standardError = try container.decode(OutputTail.self, forKey: .standardError)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(arguments, forKey: .arguments)
        try container.encode(executable, forKey: .executable)
        try container.encode(duration, forKey: .duration)
        try container.encode(reaped - started, forKey: .reapedAfter)
        try container.encode(reason, forKey: .reason)
        try container.encode(termination, forKey: .termination)
        try container.encode(neededKill, forKey: .neededKill)
        try container.encode(standardOutput, forKey: .standardOutput)
        try container.encode(standardError, forKey: .standardError)
    }
}
