import Foundation
import GatewayAuditCore

/// Where each id of a batch of observations is, found from the id's UTF-8 bytes as SQLite hands them
/// over: the prior-state read looks up every resource of the history once a night, and a `String` made
/// and hashed per row cost it more than the read itself.
///
/// The ids' bytes are kept end to end in one array; an open-addressing table of positions (a power of
/// two, at most half full) is probed by each id's hash, and a hit is confirmed by comparing the bytes.
struct BatchPositions {
    private var bytes: [UInt8] = []
    /// The end of each position's id in `bytes` (its start is the previous position's end).
    private var ends: [Int] = []
    /// Position + 1 of the id in each slot; 0 for an empty slot.
    private var slots: [Int32]
    private let mask: Int

    /// - Throws: ``StoreError/invalidBatch(detail:)`` when an id appears twice.
    init(_ observations: [Observation]) throws(StoreError) {
        var capacity = 16
        while capacity < observations.count * 2 { capacity <<= 1 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        ends.reserveCapacity(observations.count)
        bytes.reserveCapacity(observations.count * 40)
        for (position, observation) in observations.enumerated() {
            let start = bytes.count
            bytes.append(contentsOf: observation.gatewayID.rawValue.utf8)
            ends.append(bytes.count)
            let length = bytes.count - start
            let (slot, found) = bytes.withUnsafeBufferPointer { all in
                probe(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[start..<start + length])))
            }
            if found != nil {
                throw .invalidBatch(detail: "gateway \(observation.gatewayID) appears twice in one batch")
            }
            slots[slot] = Int32(position + 1)
        }
    }

    /// The position of the id whose UTF-8 bytes are `id`, nil when it is not in the batch.
    func position(of id: UnsafeRawBufferPointer) -> Int? { probe(id).found }

    /// The slot of `id`: the one holding it (with its position), or the empty one it would take.
    private func probe(_ id: UnsafeRawBufferPointer) -> (slot: Int, found: Int?) {
        var hasher = Hasher()
        hasher.combine(bytes: id)
        var slot = hasher.finalize() & mask
        while true {
            let held = Int(slots[slot])
            if held == 0 { return (slot, nil) }
            let position = held - 1
            let start = position == 0 ? 0 : ends[position - 1]
            let length = ends[position] - start
            if length == id.count {
                let same = bytes.withUnsafeBytes { all in
                    guard length > 0, let base = all.baseAddress, let other = id.baseAddress else { return length == 0 }
                    return memcmp(base + start, other, length) == 0
                }
                if same { return (slot, position) }
            }
            slot = (slot + 1) & mask
        }
    }
}
