extension Zone {
    /// The instant whose wall clock in this zone reads `wallClock` (given as if it were UTC); in a
    /// spring-forward gap (a time that does not exist that day, such as midnight in Santiago on the day
    /// clocks go from 00:00 to 01:00), the instant as far after the gap's start as `wallClock` is: the
    /// clock's reading before the jump, taken on after it (00:00 reads 01:00).
    package func instant(localWallClock wallClock: Instant) -> Instant {
        var guess = wallClock.adding(seconds: -Int64(offsetSeconds(at: wallClock)))
        guess = wallClock.adding(seconds: -Int64(offsetSeconds(at: guess)))
        if Int64(offsetSeconds(at: guess)) == wallClock.seconds - guess.seconds { return guess }
        // In a gap no offset reads back: the offset in force before the jump (the smaller one on either side
        // within a day) puts the instant after it.
        let before = [-86_400, 86_400].map { offsetSeconds(at: wallClock.adding(seconds: Int64($0))) }.min() ?? 0
        return wallClock.adding(seconds: -Int64(before))
    }
}
