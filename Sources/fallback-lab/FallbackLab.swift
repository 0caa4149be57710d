import ArgumentParser

/// The command-line tool: parses arguments, hands the work to the library modules, sets the exit code.
///
/// Exit codes follow the design: 0 success, 1 a failure the tool reports itself, 64 usage,
/// 65 an invalid scenario file, 70 an internal error.
@main
struct FallbackLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fallback-lab",
        abstract: "Measure how RTMP connection fallback behaves behind firewalls.",
        subcommands: [
            ServeCommand.self,
            ConnectCommand.self,
            RunCommand.self, ValidateCommand.self, PoliciesCommand.self,
            CalibrateCommand.self, CompareCommand.self, MergeCommand.self, TuneCommand.self,
            NetnsWorkerCommand.self,
        ]
    )
}
