import GatewatchUI
import Testing

/// Selection by identity with the row as the fallback.
@Suite struct ListSelectionTests {
    @Test func aNewSelectionIsItsRowUntilAListIsSeen() {
        let s = ListSelection<String>(row: 2)
        #expect(s.id == nil)
        #expect(s.index(in: ["a", "b", "c", "d"]) == 2)
        #expect(s.index(in: ["a"]) == 0, "clamped")
        #expect(s.index(in: []) == nil)
    }

    @Test func theItemIsKeptWhenTheRowsReSort() {
        var s = ListSelection<String>()
        s.select(row: 1, in: ["a", "b", "c"])
        #expect(s.id == "b")
        #expect(s.index(in: ["b", "c", "a"]) == 0)
        #expect(s.index(in: ["c", "a", "x", "b"]) == 3)
        s.follow(["c", "a", "x", "b"])
        #expect(s.id == "b" && s.row == 3)
        s.move(by: -1, in: ["c", "a", "x", "b"])
        #expect(s.id == "x")
        s.move(by: -10, in: ["c", "a", "x", "b"])
        #expect(s.id == "c" && s.row == 0)
        s.move(by: 10, in: ["c", "a", "x", "b"])
        #expect(s.id == "b" && s.row == 3)
    }

    @Test func whenTheItemIsGoneTheNearestRowIsSelected() {
        var s = ListSelection<String>()
        s.select(row: 2, in: ["a", "b", "c", "d"])
        #expect(s.index(in: ["a", "b", "d"]) == 2, "the row it was at")
        #expect(s.index(in: ["a"]) == 0, "or the last row")
        s.follow(["a", "b", "d"])
        #expect(s.id == "d", "the item now there becomes the selected one")
        #expect(s.index(in: ["d", "a", "b"]) == 0)
        // An empty list (nothing matches a filter, no data yet) forgets nothing.
        s.follow([])
        #expect(s.id == "d")
        s.move(by: 1, in: [])
        #expect(s.index(in: ["x", "d"]) == 1)
    }

    @Test func optionalIdentitiesWork() {
        // Segments: nil is the overall row.
        var s = ListSelection<String?>()
        s.select(row: 0, in: [nil, "EU", "BR"])
        #expect(s.selected(in: ["EU", nil, "BR"]) == .some(nil))
        s.select(row: 2, in: [nil, "EU", "BR"])
        #expect(s.index(in: [nil, "BR", "EU"]) == 1)
    }
}
