import ArgumentParser
import Lab

/// `fallback-lab policies`: the built-in presets and what each does.
struct PoliciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "List the built-in policies: candidates, timings, quirks and their sources."
    )

    func run() {
        print(PolicyListing.text, terminator: "")
    }
}
