/// The selected item of a list, kept by the item's identity, so that a re-sort, a refresh or a filter keeps the
/// item and not the row number. The row the item was last seen at is kept too: when the item is gone, the nearest
/// row is selected instead.
///
/// The state lives in the model; renderers ask `index(in:)` for the row to draw as selected (clamped to the list),
/// and the model calls `follow(_:)` when the list changes under it.
public struct ListSelection<ID: Hashable & Sendable>: Equatable, Sendable {
    /// The selected item; nil until one has been selected (until then the row decides).
    public private(set) var id: ID?
    /// The row the item was last seen at.
    public private(set) var row: Int

    /// A selection of the item at `row` (whichever it is when the list is first seen).
    public init(row: Int = 0) {
        self.row = max(0, row)
    }

    /// The row to draw as selected in a list of `ids`: the item's row; if the item is not in the list, the row
    /// nearest to where it was; nil for an empty list.
    public func index(in ids: [ID]) -> Int? {
        guard !ids.isEmpty else { return nil }
        if let id, let found = ids.firstIndex(of: id) { return found }
        return min(row, ids.count - 1)
    }

    /// The selected item of `ids` (see `index(in:)`).
    public func selected(in ids: [ID]) -> ID? { index(in: ids).map { ids[$0] } }

    /// Selects the item at `row` of `ids` (clamped to the list).
    public mutating func select(row: Int, in ids: [ID]) {
        guard !ids.isEmpty else { return }
        self.row = min(max(0, row), ids.count - 1)
        id = ids[self.row]
    }

    /// Selects the item `offset` rows away from the selected one (clamped to the list).
    public mutating func move(by offset: Int, in ids: [ID]) {
        guard let current = index(in: ids) else { return }
        select(row: current + offset, in: ids)
    }

    /// Keeps the selection on its item after the list changed; when the item is gone, the item now at the nearest
    /// row becomes the selected one. An empty list changes nothing.
    public mutating func follow(_ ids: [ID]) {
        guard let current = index(in: ids) else { return }
        row = current
        id = ids[current]
    }
}
