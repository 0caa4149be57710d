import LiveNet

/// Scoped serving, for tests.
extension LiveServer {
    /// Starts a server, runs `body` with it, and shuts it down gracefully whether `body` returns or
    /// throws: a failing test must not leave a port bound for the next one.
    package static func serving<Result: Sendable>(
        _ configuration: LiveServerConfiguration,
        observer: @escaping @Sendable (ServerEvent) -> Void = { _ in },
        _ body: (LiveServer) async throws -> Result
    ) async throws -> Result {
        let server = try await LiveServer.start(configuration, observer: observer)
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }
}
