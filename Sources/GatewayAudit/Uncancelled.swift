/// Runs store work that must happen even when the run's task is cancelled: the observations already
/// fetched are recorded and the run is closed with its reason, instead of being left `running` for
/// the next run to close as `aborted`. The work runs in a task of its own, which does not inherit the
/// caller's cancellation; the caller still waits for it.
enum Uncancelled {
    /// Runs `body` shielded from the caller's cancellation.
    /// - Throws: whatever ``StoreError`` `body` throws.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws(StoreError) -> T) async throws(StoreError)
        -> T
    {
        let task = Task { () async -> Result<T, StoreError> in
            do throws(StoreError) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        return try await task.value.get()
    }
}
