extension Zone {
    /// The instant whose wall clock in this zone reads `wallClock` (given as if it were UTC); in a
    /// spring-forward gap, the instant just after the gap.
    package func instant(localWallClock wallClock: Instant) -> Instant {
        var guess = wallClock.adding(seconds: -Int64(offsetSeconds(at: wallClock)))
        guess = wallClock.adding(seconds: -Int64(offsetSeconds(at: guess)))
        return guess
    }
}
