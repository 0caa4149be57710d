import Foundation
import Testing
import TestSupport
import Yams

/// The sharded CI examples of `docs/ci` as written: the GitHub Actions workflow's shell steps, run
/// here job by job (artifacts passed as the upload and download actions pass them), and the
/// Kubernetes Indexed Job's shard command with each `JOB_COMPLETION_INDEX`. Each merged report must be
/// the one a single `run` with the same flags writes.
@Suite("docs/ci: the sharded CI examples, their shell steps run here", .serialized, .timeLimit(.minutes(5)))
struct ShardWorkflowTests {
    static var lab: URL { InterruptTests.executable }
    static let root = FixtureSupport.packageRoot
    /// Fewer repetitions than the examples' own, to keep the suite light; nothing else changes.
    static let repeatCount = "2"

    typealias Object = [String: Any]

    static func yaml(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// A checkout: the scenarios as the repository has them.
    static func checkout(at path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("Scenarios").path, toPath: path + "/Scenarios")
    }

    /// Runs `script` as GitHub runs a `run:` step (bash, -e, pipefail) or as `sh -c`, in `directory`,
    /// with `environment` and the built tool first on PATH.
    static func shell(_ script: String, in directory: String, environment: [String: String], bash: Bool = true) async throws -> TestProcess.Finished {
        let path = lab.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let variables = environment.merging(["PATH": path]) { $1 }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let command = bash ? ["/bin/bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script] : ["/bin/sh", "-c", script]
        return try await TestProcess.run("/usr/bin/env", ["-C", directory] + variables + command, limit: .seconds(240))
    }

    static func files(_ folder: String) throws -> [String: Data] {
        try ShardMergeTests.files(folder)
    }

    static func expectSameReport(_ actual: String, as expected: String, _ label: String) throws {
        let want = try files(expected)
        let got = try files(actual)
        #expect(!want.isEmpty)
        #expect(got.keys.sorted() == want.keys.sorted(), "\(label)")
        for (path, bytes) in want where got[path] != bytes { Issue.record("\(label): \(path) differs from the single run's") }
    }

    @Test func theGitHubMatrixJobsAndTheMergeJobWriteTheSingleRunsReport() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.lab.path), "build fallback-lab first: \(Self.lab.path)")
        let workflow = try #require(try Yams.load(yaml: try Self.yaml("docs/ci/github-actions-shards.yml")) as? Object)
        var environment = try #require(workflow["env"] as? [String: String])
        environment["REPEAT"] = Self.repeatCount
        let jobs = try #require(workflow["jobs"] as? Object)
        let shardJob = try #require(jobs["shard"] as? Object)
        let matrix = try #require((shardJob["strategy"] as? Object)?["matrix"] as? Object)
        let shards = try #require(matrix["shard"] as? [Int])
        let temporary = try TemporaryFolder("workflow")
        let artifacts = temporary.path("artifacts")
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)

        /// One job on its own runner: a fresh checkout, its steps in order.
        func runJob(_ job: Object, named name: String, expressions: [String: String]) async throws {
            let workspace = temporary.path("runner-\(name)")
            try Self.checkout(at: workspace)
            var jobEnvironment = environment
            jobEnvironment["GITHUB_STEP_SUMMARY"] = workspace + "/step-summary.md"
            let steps = try #require(job["steps"] as? [Object])
            for step in steps {
                func expand(_ text: String) throws -> String {
                    var text = text
                    for (expression, value) in expressions { text = text.replacingOccurrences(of: "${{ \(expression) }}", with: value) }
                    try #require(!text.contains("${{"), "an expression the test does not know in: \(text)")
                    return text
                }
                let with = (step["with"] as? Object) ?? [:]
                if let uses = step["uses"] as? String {
                    if uses.hasPrefix("actions/upload-artifact@") {
                        let artifact = try expand(try #require(with["name"] as? String))
                        let source = workspace + "/" + (try expand(try #require(with["path"] as? String)))
                        try FileManager.default.copyItem(atPath: source, toPath: artifacts + "/" + artifact)
                    } else if uses.hasPrefix("actions/download-artifact@") {
                        // `pattern` with `path`: each matching artifact in a folder of its name.
                        let pattern = try #require(with["pattern"] as? String)
                        let target = workspace + "/" + (try #require(with["path"] as? String))
                        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
                        let prefix = String(pattern.dropLast())
                        try #require(pattern.hasSuffix("*"))
                        for artifact in try FileManager.default.contentsOfDirectory(atPath: artifacts) where artifact.hasPrefix(prefix) {
                            try FileManager.default.copyItem(atPath: artifacts + "/" + artifact, toPath: target + "/" + artifact)
                        }
                    }
                    // checkout and setup-swift: the runner folder and the built tool stand in for them.
                    continue
                }
                let script = try expand(try #require(step["run"] as? String))
                // The Build step compiles the tool; the test's build is on PATH instead.
                if step["name"] as? String == "Build" {
                    #expect(script.contains("swift build -c release --product fallback-lab"))
                    continue
                }
                let finished = try await Self.shell(script, in: workspace, environment: jobEnvironment)
                #expect(finished.status == 0, "job \(name), step \(step["name"] ?? "?"):\n\(finished.output)\(finished.errors)")
            }
        }

        for shard in shards {
            try await runJob(shardJob, named: "shard-\(shard)", expressions: ["matrix.shard": String(shard), "strategy.job-total": String(shards.count)])
        }
        try await runJob(try #require(jobs["merge"] as? Object), named: "merge", expressions: [:])
        let merged = temporary.path("runner-merge", "Reports", "latest")
        let summary = try String(contentsOfFile: temporary.path("runner-merge", "step-summary.md"), encoding: .utf8)
        #expect(summary == (try String(contentsOfFile: merged + "/summary.md", encoding: .utf8)))

        // The same plan in one run on one machine.
        let single = temporary.path("single")
        try Self.checkout(at: single)
        let run = try await Self.shell(
            "fallback-lab run \"$SCENARIOS\" --repeat \"$REPEAT\" --seed \"$SEED\" --out whole", in: single, environment: environment)
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        try Self.expectSameReport(merged, as: single + "/whole", "GitHub matrix of \(shards.count)")
    }

    @Test func theKubernetesIndexedJobsShardCommandAndItsMergeWriteTheSingleRunsReport() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.lab.path), "build fallback-lab first: \(Self.lab.path)")
        let documents = try Yams.load_all(yaml: try Self.yaml("docs/ci/kubernetes-indexed-job.yaml")).compactMap { $0 as? Object }
        try #require(documents.count == 2)
        func container(_ document: Object) throws -> Object {
            let spec = try #require(document["spec"] as? Object)
            let template = try #require((spec["template"] as? Object)?["spec"] as? Object)
            return try #require((template["containers"] as? [Object])?.first)
        }
        let shardSpec = try #require(documents[0]["spec"] as? Object)
        #expect(shardSpec["completionMode"] as? String == "Indexed")
        let completions = try #require(shardSpec["completions"] as? Int)
        let shardContainer = try container(documents[0])
        var environment: [String: String] = [:]
        for variable in try #require(shardContainer["env"] as? [Object]) {
            environment[try #require(variable["name"] as? String)] = try #require(variable["value"] as? String)
        }
        #expect(environment["SHARDS"] == String(completions))
        environment["REPEAT"] = Self.repeatCount
        let temporary = try TemporaryFolder("indexed-job")
        // The pod's paths, /scenarios and /reports, inside the test's folder.
        func local(_ script: String) -> String {
            script.replacingOccurrences(of: "/scenarios", with: temporary.path("scenarios"))
                .replacingOccurrences(of: "/reports", with: temporary.path("reports"))
        }
        try FileManager.default.copyItem(atPath: Self.root.appendingPathComponent("Scenarios").path, toPath: temporary.path("scenarios"))
        try FileManager.default.createDirectory(atPath: temporary.path("reports"), withIntermediateDirectories: true)
        let shardScript = local(try #require((shardContainer["args"] as? [String])?.first))
        for index in 0..<completions {
            var pod = environment
            pod["JOB_COMPLETION_INDEX"] = String(index)
            let finished = try await Self.shell(shardScript, in: temporary.path(), environment: pod, bash: false)
            #expect(finished.status == 0, "index \(index):\n\(finished.output)\(finished.errors)")
        }
        let mergeScript = local(try #require((try container(documents[1])["args"] as? [String])?.first))
        let merge = try await Self.shell(mergeScript, in: temporary.path(), environment: [:], bash: false)
        #expect(merge.status == 0, "\(merge.output)\(merge.errors)")

        let run = try await Self.shell(
            "fallback-lab run \"\(temporary.path("scenarios"))\" --repeat \"$REPEAT\" --seed \"$SEED\" --out \"\(temporary.path("whole"))\"",
            in: temporary.path(), environment: environment, bash: false)
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        try Self.expectSameReport(temporary.path("reports", "merged"), as: temporary.path("whole"), "Indexed Job of \(completions)")
    }

    /// The exit codes CI scripts branch on: 65 for folders that cannot be merged (nothing written), 64
    /// for a bad --shard or one the network cannot take.
    @Test func mergeRefusalsExit65AndWriteNothingAndBadShardsAreUsageErrors() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.lab.path), "build fallback-lab first: \(Self.lab.path)")
        let temporary = try TemporaryFolder("merge-codes")
        let out = temporary.path("merged")
        let notAReport = try await TestProcess.run(Self.lab.path, ["merge", temporary.path(), "--out", out])
        #expect(notAReport.status == 65)
        #expect(notAReport.errors.contains("is not a report folder of `fallback-lab run` (it has no plan.json)"), "\(notAReport.errors)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let scenario = Self.root.appendingPathComponent("Scenarios/open-network.yaml").path
        let shard = try await TestProcess.run(Self.lab.path, ["run", scenario, "--shard", "1/2", "--format", "csv", "--out", temporary.path("s1")])
        #expect(shard.status == 0, "\(shard.output)\(shard.errors)")
        #expect(shard.output.contains("shard 1/2 of the plan"), "\(shard.output)")
        let incomplete = try await TestProcess.run(Self.lab.path, ["merge", temporary.path("s1"), "--out", out])
        #expect(incomplete.status == 65)
        #expect(incomplete.errors.contains("shard 2/2 of plan"), "\(incomplete.errors)")
        #expect(!FileManager.default.fileExists(atPath: out))
        for arguments in [["--shard", "0/3"], ["--shard", "3/2"], ["--shard", "1/2", "--network", "loopback"]] {
            let usage = try await TestProcess.run(Self.lab.path, ["run", scenario, "--out", temporary.path("x")] + arguments)
            #expect(usage.status == 64, "\(arguments): \(usage.errors)")
        }
    }
}
