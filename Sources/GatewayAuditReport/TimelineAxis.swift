import GatewayAuditCore
import GatewayAuditStore

/// Date ticks under every timeline of a page: local midnights in the report's zone, spaced by a whole
/// number of days so that at most six fit. All timelines of a page share one range, so the ticks are
/// positioned once in the page's style and each timeline carries only empty tick elements.
struct TimelineAxis {
    /// One tick: its position in percent of the timeline's width and its date label.
    struct Tick: Equatable {
        let percent: Double
        let label: String
    }

    let ticks: [Tick]

    init(range: (Instant, Instant), zone: Zone) {
        let span = max(range.1.seconds(since: range.0), 1)
        let days = span / 86_400
        let step = [1, 2, 7, 14, 28, 56, 91, 182, 364].first { Double($0) * 6 >= days } ?? Int((days / 6).rounded(.up))
        let startWall = range.0.adding(seconds: Int64(zone.offsetSeconds(at: range.0)))
        // Midnight of the first local day that starts at or after the range's start ("wall clock as UTC").
        var wall = Instant(seconds: (startWall.seconds / 86_400 + (startWall.seconds % 86_400 == 0 ? 0 : 1)) * 86_400)
        var ticks: [Tick] = []
        while ticks.count < 12 {
            let instant = zone.instant(localWallClock: wall)
            if instant > range.1 { break }
            let position = instant.seconds(since: range.0) / span * 997
            ticks.append(Tick(percent: (position * 10).rounded() / 100, label: String(wall.iso8601().prefix(10))))
            wall = wall.adding(seconds: Int64(step) * 86_400)
        }
        self.ticks = ticks
    }

    /// The page-level CSS that places and labels the ticks (`.tk i:nth-child(n)`).
    var css: String {
        ticks.enumerated().map { index, tick in
            ".tk i:nth-child(\(index + 1)){left:\(tick.percent)%}.tk i:nth-child(\(index + 1))::after{content:\"\(tick.label)\"}"
        }.joined(separator: "\n")
    }

    /// The empty tick elements each timeline carries.
    var elements: String {
        String(repeating: "<i></i>", count: ticks.count)
    }
}
