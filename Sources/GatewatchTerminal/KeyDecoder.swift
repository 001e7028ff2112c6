import CNCursesW
import GatewatchUI

/// Maps what `wget_wch` returns to a `Key`. Pure: no curses state is touched.
public enum KeyDecoder {
    /// - Parameters:
    ///   - code: the value stored by `wget_wch` (a Unicode scalar, or a `KEY_*` code).
    ///   - isKeyCode: true when `wget_wch` returned `KEY_CODE_YES` (so `code` is a `KEY_*` constant).
    /// - Returns: the key, or nil for codes Gatewatch does not use.
    public static func decode(code: Int32, isKeyCode: Bool) -> Key? {
        isKeyCode ? decodeKeyCode(code) : decodeCharacter(code)
    }

    static func decodeKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1, KEY_LL: return .end
        case KEY_A3: return .pageUp
        case KEY_C3: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case gw_key_f(1)...gw_key_f(63): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    static func decodeCharacter(_ code: Int32) -> Key? {
        switch code {
        case 13, 10: return .enter
        case 9: return .tab
        case 127, 8: return .backspace
        case 27: return .escape
        case 0: return .control("@")
        case 1...26:
            // Ctrl-A … Ctrl-Z (Ctrl-H, Ctrl-I, Ctrl-J, Ctrl-M are taken above).
            return .control(Character(Unicode.Scalar(UInt8(0x60 + code))))
        case 28...31:
            // Ctrl-\ Ctrl-] Ctrl-^ Ctrl-_
            return .control(Character(Unicode.Scalar(UInt8(0x40 + code))))
        case 0x80...0x9F:
            return nil // C1 controls
        default:
            guard code > 0, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .character(Character(scalar))
        }
    }
}
