/// What the executable prints when a command ends with an error.
enum ExitMessage: Equatable {
    /// One line on standard error.
    case standardError(String)
    /// Text ArgumentParser produced on request (help, version), for standard output.
    case standardOutput(String)
}
