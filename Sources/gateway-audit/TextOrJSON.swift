import ArgumentParser

/// `--format text|json` of `when-changed`.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
