import CNCursesW
import GatewatchUI
import Testing
@testable import GatewatchTerminal

@Suite("Key decoding")
struct KeyDecoderTests {
    static let keyCodes: [(Int32, Key?)] = [
        (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
        (KEY_ENTER, .enter), (KEY_BACKSPACE, .backspace), (KEY_DC, .delete),
        (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end),
        (KEY_BTAB, .backTab), (KEY_RESIZE, .resize),
        (KEY_F0 + 1, .function(1)), (KEY_F0 + 5, .function(5)), (KEY_F0 + 12, .function(12)),
        (KEY_MOUSE, nil), (KEY_F0, nil),
    ]

    @Test("KEY_* codes", arguments: keyCodes)
    func keyCode(code: Int32, expected: Key?) {
        #expect(KeyDecoder.decode(code: code, isKeyCode: true) == expected)
    }

    static let characters: [(Int32, Key?)] = [
        (13, .enter), (10, .enter), (9, .tab), (127, .backspace), (8, .backspace), (27, .escape),
        (1, .control("a")), (3, .control("c")), (12, .control("l")), (26, .control("z")),
        (0, .control("@")), (28, .control("\\")), (31, .control("_")),
        (Int32(UInt8(ascii: "q")), .character("q")), (Int32(UInt8(ascii: " ")), .character(" ")),
        (Int32(UInt8(ascii: "?")), .character("?")), (0xE9, .character("é")), (0x1F600, .character("😀")),
        (0x85, nil), (0x9B, nil),
    ]

    @Test("characters and control characters", arguments: characters)
    func character(code: Int32, expected: Key?) {
        #expect(KeyDecoder.decode(code: code, isKeyCode: false) == expected)
    }

    @Test("the same number means different keys with and without KEY_CODE_YES")
    func keyCodeFlagMatters() {
        // KEY_DOWN (0402 = 258) is also the scalar U+0102 'Ă'.
        #expect(KeyDecoder.decode(code: KEY_DOWN, isKeyCode: true) == .down)
        #expect(KeyDecoder.decode(code: KEY_DOWN, isKeyCode: false) == .character("Ă"))
    }
}

@Suite("Colour mapping")
struct ColorMapperTests {
    @Test func defaultColours() {
        #expect(ColorMapper.number(for: .default, colorCount: 256, isForeground: true, defaultColors: true) == -1)
        #expect(ColorMapper.number(for: .default, colorCount: 8, isForeground: true, defaultColors: false) == 7)
        #expect(ColorMapper.number(for: .default, colorCount: 8, isForeground: false, defaultColors: false) == 0)
    }

    @Test func ansiFoldsOnEightColours() {
        #expect(ColorMapper.number(for: .brightRed, colorCount: 256, isForeground: true, defaultColors: true) == 9)
        #expect(ColorMapper.number(for: .brightRed, colorCount: 16, isForeground: true, defaultColors: true) == 9)
        #expect(ColorMapper.number(for: .brightRed, colorCount: 8, isForeground: true, defaultColors: true) == 1)
    }

    @Test func indexedReducedToNearestBasic() {
        #expect(ColorMapper.number(for: .indexed(196), colorCount: 256, isForeground: true, defaultColors: true) == 196)
        #expect(ColorMapper.number(for: .indexed(196), colorCount: 16, isForeground: true, defaultColors: true) == 9)  // pure red
        #expect(ColorMapper.number(for: .indexed(196), colorCount: 8, isForeground: true, defaultColors: true) == 1)
        #expect(ColorMapper.number(for: .indexed(46), colorCount: 16, isForeground: true, defaultColors: true) == 10)  // pure green
        #expect(ColorMapper.number(for: .indexed(21), colorCount: 16, isForeground: true, defaultColors: true) == 4)   // blue
        #expect(ColorMapper.number(for: .indexed(63), colorCount: 16, isForeground: true, defaultColors: true) == 12)  // light blue
        #expect(ColorMapper.number(for: .indexed(16), colorCount: 16, isForeground: true, defaultColors: true) == 0)   // black
        #expect(ColorMapper.number(for: .indexed(231), colorCount: 16, isForeground: true, defaultColors: true) == 15) // white
        #expect(ColorMapper.number(for: .indexed(244), colorCount: 16, isForeground: true, defaultColors: true) == 8)  // grey
        #expect(ColorMapper.number(for: .indexed(3), colorCount: 16, isForeground: true, defaultColors: true) == 3)
    }

    @Test func everyPaletteEntryMapsIntoRange() {
        for i in 0...255 {
            let n16 = ColorMapper.number(for: .indexed(UInt8(i)), colorCount: 16, isForeground: true, defaultColors: true)
            let n8 = ColorMapper.number(for: .indexed(UInt8(i)), colorCount: 8, isForeground: true, defaultColors: true)
            #expect((0..<16).contains(n16))
            #expect((0..<8).contains(n8))
        }
    }
}

@Suite("Locale codeset")
struct LocaleTests {
    @Test func utf8Spellings() {
        #expect(LocaleSetup.isUTF8(codeset: "UTF-8"))
        #expect(LocaleSetup.isUTF8(codeset: "utf8"))
        #expect(!LocaleSetup.isUTF8(codeset: "ANSI_X3.4-1968"))
        #expect(!LocaleSetup.isUTF8(codeset: ""))
    }
}
