import Testing
import Connector
@testable import Reports

@Suite("Times, statistics and names")
struct FormattingTests {
    @Test func millisecondsRoundToTheNearestMicrosecond() {
        #expect(Duration.nanoseconds(1_499).millisecondsText == "0.001")
        #expect(Duration.nanoseconds(1_500).millisecondsText == "0.002")
        #expect(Duration.nanoseconds(499).millisecondsText == "0.000")
        #expect(Duration.milliseconds(21_730).millisecondsText == "21730.000")
        #expect(Duration.microseconds(-12_500).millisecondsText == "-12.500")
        #expect(Duration.seconds(2).secondsText == "2.000")
        #expect(Duration.microseconds(1_499).secondsText == "0.001")
        #expect(Duration.microseconds(1_500).secondsText == "0.002")
        #expect(Duration.microseconds(-1_500).secondsText == "-0.002")
    }

    @Test func humanTextPicksAReadableUnit() {
        #expect(Duration.microseconds(999).humanText == "0.999 ms")
        #expect(Duration.microseconds(1_000).humanText == "1.0 ms")
        #expect(Duration.milliseconds(740).humanText == "740 ms")
        #expect(Duration.microseconds(999_999).humanText == "1000 ms")
        #expect(Duration.seconds(1).humanText == "1.000 s")
        #expect(Duration.milliseconds(119_999).humanText == "119.999 s")
        #expect(Duration.seconds(127).humanText == "2 min 7.0 s")
        #expect(Duration.microseconds(-12_500).humanText == "−13 ms")
    }

    @Test func hugeDurationsClampInsteadOfTrapping() {
        #expect(Duration.seconds(Int64.max).reportMicroseconds == .max)
        #expect(Duration.seconds(Int64.min).reportMicroseconds == .min)
    }

    @Test func percentilesUseNearestRank() throws {
        let stats = Statistics((1...20).map { Duration.milliseconds($0 * 10) })
        #expect(stats.percentile(50) == .milliseconds(100))
        #expect(stats.percentile(95) == .milliseconds(190))
        #expect(stats.percentile(99) == .milliseconds(200))
        #expect(Statistics([]).percentile(50) == nil)
        #expect(Statistics([.seconds(3)]).percentile(99) == .seconds(3))
    }

    @Test func histogramCountsEveryValueOnce() {
        let values = [10, 11, 12, 50, 99, 100].map { Duration.milliseconds($0) }
        let bins = Statistics(values).histogram(bins: 9)
        #expect(bins.reduce(0) { $0 + $1.count } == values.count)
        #expect(bins.first?.lower == 10_000)
        #expect((bins.last?.upper ?? 0) > 100_000)
        #expect(Statistics([.seconds(1), .seconds(1)]).histogram(bins: 5) == [Statistics.Bin(lower: 1_000_000, upper: 1_000_001, count: 2)])
    }

    @Test(arguments: [
        ("corporate-firewall-drops-1935", "corporate-firewall-drops-1935"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "fallback"),
        ("/", "fallback"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        (".hidden", "hidden"),
        ("Ünïcode name", "n-code-name"),
        ("", "fallback"),
    ])
    func fileNamesStayInsideTheReport(name: String, expected: String) {
        let slug = FileName.slug(name, fallback: "fallback")
        #expect(slug == expected)
        #expect(!slug.contains("/"))
        #expect(!slug.hasPrefix("."))
    }

    @Test func fileNamesAreCutToALength() {
        #expect(FileName.slug(String(repeating: "a", count: 500), fallback: "x").count == FileName.maximumLength)
    }

    @Test func captureNamesAreUniqueWhenNamesSlugAlike() {
        let records = [PacketRecord.tcp(TCPSegmentRecord(
            at: .zero, source: ReportFixtures.client, sourcePort: 1, destination: ReportFixtures.server,
            destinationPort: 2, sequence: 0, flags: .syn))]
        func run() -> RunReport {
            RunReport(
                policy: "p", seed: 1, result: .failed(reason: "x", after: .zero), attempts: [],
                cost: ServerCost(connectionsAccepted: 0, handshakesCompleted: 0, wastedConnections: 0), packets: records)
        }
        var layout = ReportLayout()
        #expect(layout.place(run(), of: "a/b") == "a-b--p--r1.pcap")
        #expect(layout.place(run(), of: "a b") == "a-b--p--r1-2.pcap")
    }

    @Test func markupEscapesSpecialAndInvalidCharacters() {
        #expect(Markup.escape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect(Markup.escape("bell\u{07}tab\tline\n") == "bell\u{FFFD}tab&#9;line&#10;")
    }

    @Test func ipv4AddressesParseStrictly() {
        #expect(PacketRecord.Address("10.0.0.2") == PacketRecord.Address(10, 0, 0, 2))
        #expect(PacketRecord.Address("10.0.0.2")?.description == "10.0.0.2")
        #expect(PacketRecord.Address("10.0.0") == nil)
        #expect(PacketRecord.Address("10.0.0.256") == nil)
        #expect(PacketRecord.Address("10..0.1") == nil)
        #expect(PacketRecord.Address("a.b.c.d") == nil)
    }
}

/// Issue 13: percentiles of any number of runs in bounded memory.
@Suite("Statistics beyond the exact limit")
struct StreamingStatisticsTests {
    /// 100,000 values, some negative (a regret): beyond `exactLimit` every nearest-rank percentile is
    /// within 0.1 % (HdrHistogram's three digits) of the exact one, and the extremes are exact.
    @Test func percentilesStayWithinATenthOfAPercentOfTheExactOnes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var values: [Int64] = []
        var statistics = Statistics()
        for _ in 0..<100_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Int64((state >> 33) % 30_000_000) - 2_000_000
            values.append(value)
            statistics.add(.microseconds(value))
        }
        let sorted = values.sorted()
        #expect(statistics.count == values.count)
        for p in [0, 1, 10, 50, 90, 95, 99, 100] {
            let rank = min(max(1, (p * sorted.count + 99) / 100), sorted.count)
            let exact = sorted[rank - 1]
            let figure = statistics.percentile(p)?.reportMicroseconds ?? .min
            #expect(abs(figure - exact) <= max(1, abs(exact) / 1000), "p\(p): \(figure) against \(exact)")
        }
        #expect(statistics.percentile(100)?.reportMicroseconds == sorted.last)
        #expect(statistics.percentile(0)?.reportMicroseconds == sorted.first)
        let bins = statistics.histogram(bins: 20)
        #expect(bins.reduce(0) { $0 + $1.count } == values.count)
        #expect(bins.first?.lower == sorted.first)
    }

    /// Repeated values count, not their number: a deterministic scenario repeated 100,000 times (three
    /// distinct times) keeps exact figures and an exact histogram; 4,097 distinct values do not.
    @Test func manyRepetitionsOfFewTimesStayExact() {
        var statistics = Statistics()
        for index in 0..<100_000 { statistics.add(.microseconds([240_000, 400_123, 21_120_007][index % 3])) }
        #expect(statistics.percentile(50) == .microseconds(400_123))
        #expect(statistics.percentile(34) == .microseconds(400_123))
        #expect(statistics.percentile(33) == .microseconds(240_000))
        #expect(statistics.histogram(bins: 2).map(\.count) == [66_667, 33_333])
        var many = Statistics()
        for value in 0...Int64(Statistics.exactLimit) { many.add(.microseconds(value * 1_000_003)) }
        // Past the limit: the histogram's three digits, the extremes still exact.
        #expect(many.percentile(50) != .microseconds(2_048 * 1_000_003))
        #expect(many.percentile(100) == .microseconds(Int64(Statistics.exactLimit) * 1_000_003))
    }

    /// Up to the limit nothing changes: the figures are the exact sample's.
    @Test func upToTheLimitFiguresAreExact() {
        let values = (1...Statistics.exactLimit).map { Duration.microseconds(Int64($0 * 7 % 4099)) }
        let statistics = Statistics(values)
        let sorted = values.sorted()
        for p in [1, 50, 95, 99] {
            let rank = min(max(1, (p * sorted.count + 99) / 100), sorted.count)
            #expect(statistics.percentile(p) == sorted[rank - 1])
        }
    }
}
