import Testing
@testable import Lab

@Suite struct ValueSyntaxTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)),
        ("1.5s", .milliseconds(1500)),
        ("2m", .seconds(120)),
        ("1.1s", .milliseconds(1100)),
        ("0", .zero),
        ("0ms", .zero),
        ("750us", .microseconds(750)),
        ("1h", .seconds(3600)),
        (" 40ms ", .milliseconds(40)),
        ("0.000001s", .microseconds(1)),
    ])
    func durations(text: String, expected: Duration) {
        #expect(ValueSyntax.duration(text) == expected)
    }

    @Test(arguments: ["", "250", "ms", "-1s", "1.5.2s", "1,5s", "1e3ms", "fast", "1 sec", ".5s", "5.s", "99999999999999999999h", "0x10ms"])
    func notDurations(text: String) {
        #expect(ValueSyntax.duration(text) == nil)
    }

    @Test func rates() {
        #expect(ValueSyntax.rate("500kbit") == 500_000)
        #expect(ValueSyntax.rate("10mbit") == 10_000_000)
        #expect(ValueSyntax.rate("1.5mbit") == 1_500_000)
        #expect(ValueSyntax.rate("1gbit") == 1_000_000_000)
        #expect(ValueSyntax.rate("10MBit") == 10_000_000)
        #expect(ValueSyntax.rate("0kbit") == nil)
        #expect(ValueSyntax.rate("10mb") == nil)
        #expect(ValueSyntax.rate("1.5bit") == nil)
        #expect(ValueSyntax.rate("fast") == nil)
    }

    @Test func ratios() {
        #expect(ValueSyntax.ratio("0.5%") == 0.005)
        #expect(ValueSyntax.ratio("100%") == 1)
        #expect(ValueSyntax.ratio("0") == 0)
        #expect(ValueSyntax.ratio("0.5") == nil)
        #expect(ValueSyntax.ratio("-1%") == nil)
        #expect(ValueSyntax.ratio("%") == nil)
    }
}

@Suite struct KeySuggestionTests {
    @Test func nearestKnownKey() {
        let keys = ["latency", "jitter", "bandwidth", "loss"]
        #expect(KeySuggestion.nearest(to: "latncy", in: keys) == "latency")
        #expect(KeySuggestion.nearest(to: "lantecy", in: keys) == "latency")
        #expect(KeySuggestion.nearest(to: "Jitter", in: keys) == "jitter")
        #expect(KeySuggestion.nearest(to: "colour", in: keys) == nil)
    }

    @Test func editDistance() {
        #expect(KeySuggestion.editDistance("", "abc") == 3)
        #expect(KeySuggestion.editDistance("kitten", "sitting") == 3)
        #expect(KeySuggestion.editDistance("ab", "ba") == 1)
        #expect(KeySuggestion.editDistance("same", "same") == 0)
    }

    /// "Too long" only for a well-formed duration past the 64-bit nanosecond range, at the edge of it.
    @Test func durationOverflow() {
        #expect(ValueSyntax.duration("2562047h") != nil)
        #expect(!ValueSyntax.durationOverflows("2562047h"))
        #expect(ValueSyntax.duration("2562048h") == nil)
        #expect(ValueSyntax.durationOverflows("2562048h"))
        #expect(ValueSyntax.durationOverflows("9223372036854775808s"))
        #expect(!ValueSyntax.durationOverflows("9223372036s"))
        #expect(ValueSyntax.durationOverflows("99999999999999999999ms"))
        for text in ["1e30s", "fast", "-5s", "1.5.2s", "5 sec", "250", ""] {
            #expect(!ValueSyntax.durationOverflows(text), "\(text)")
        }
    }
}
