import Foundation

/// Turns the paths given on the command line into scenario files: files as given, folders expanded
/// to their `.yaml`/`.yml` files (not recursively), in a stable order.
package enum ScenarioFiles {
    /// A path that is neither a readable file nor a folder; a usage error, not a scenario error.
    package struct MissingPath: Error, Sendable, Hashable, CustomStringConvertible {
        package var path: String
        package var description: String { "\(path): no such file or folder" }
    }

    package static func expand(_ paths: [String]) throws(MissingPath) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else { throw MissingPath(path: path) }
            if isFolder.boolValue {
                let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? []
                let yaml = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                let base = path.hasSuffix("/") ? path : path + "/"
                files.append(contentsOf: yaml.map { base + $0 })
            } else {
                files.append(path)
            }
        }
        var seen: Set<String> = []
        return files.filter { seen.insert($0).inserted }
    }
}
