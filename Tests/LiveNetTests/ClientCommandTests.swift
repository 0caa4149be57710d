import Testing

import LiveNet
import RunCore

/// `client.command` splitting: the quoting subset, `{url}` filled in after splitting, the errors.
@Suite("ClientCommand")
struct ClientCommandTests {
    @Test func plainWordsSplitOnWhitespace() throws {
        let command = try ClientCommand(parsing: "  rtmpdump -r {url}\t-m 5  -o /dev/null ")
        #expect(command.words == ["rtmpdump", "-r", "{url}", "-m", "5", "-o", "/dev/null"])
        #expect(command.program == "rtmpdump")
        #expect(command.rowName == "external:rtmpdump")
    }

    @Test func quotesAndBackslashes() throws {
        let command = try ClientCommand(parsing: #"prog 'a b' "c \"d\" \e" f\ g '' "$x" `id` ;|>"#)
        #expect(command.words == ["prog", "a b", #"c "d" \e"#, "f g", "", "$x", "`id`", ";|>"])
    }

    @Test func adjacentQuotedPartsFormOneWord() throws {
        let command = try ClientCommand(parsing: #"prog pre'mid dle'"post fix"{url}"#)
        #expect(command.words == ["prog", "premid dlepost fix{url}"])
        #expect(command.arguments(url: "rtmp://h/a") == ["prog", "premid dlepost fixrtmp://h/a"])
    }

    @Test func programNameIsTheBaseName() throws {
        #expect(try ClientCommand(parsing: "/usr/bin/ffmpeg -i {url}").rowName == "external:ffmpeg")
        #expect(try ClientCommand(parsing: "'./my player' {url}").programName == "my player")
    }

    @Test func urlIsOneArgumentWhateverItHolds() throws {
        let command = try ClientCommand(parsing: "printf '%s\\n' -r {url} x{url}y")
        let url = #"rtmp://h/live;touch /tmp/x$(id) `id` 'q' "d" {url} a b"#
        let arguments = command.arguments(url: url)
        #expect(arguments == ["printf", "%s\\n", "-r", url, "x" + url + "y"])
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: ClientCommandError.empty) { try ClientCommand(parsing: "   ") }
        #expect(throws: ClientCommandError.empty) { try ClientCommand(parsing: "'' {url}") }
        #expect(throws: ClientCommandError.unterminatedQuote("'")) { try ClientCommand(parsing: "prog 'open {url}") }
        #expect(throws: ClientCommandError.unterminatedQuote("\"")) { try ClientCommand(parsing: "prog \"open {url}") }
        #expect(throws: ClientCommandError.unterminatedQuote("\"")) { try ClientCommand(parsing: "prog \"open\\") }
        #expect(throws: ClientCommandError.trailingBackslash) { try ClientCommand(parsing: "prog {url} \\") }
        #expect(ClientCommandError.unterminatedQuote("'").description == "client.command has an unterminated ' quote")
    }
}
