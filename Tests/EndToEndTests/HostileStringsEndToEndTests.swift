import Foundation
import Testing

/// The `hostile-names` scenario (escape sequences, controls, bidi overrides, zero-width, CJK, emoji ZWJ sequences and
/// flags, combining marks, very long names in every free-text field) and a hostile audit note, through the real
/// binary: what reaches the terminal, and what the headless commands print.
@Suite("Hostile strings (end to end)", .serialized)
struct HostileStringsEndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sampleData = packageRoot.appendingPathComponent("sample-data").path

    /// A note with a window-title sequence, clear-screen and cursor-home, colours, a bidi override, CJK and an
    /// emoji ZWJ sequence, longer than any column that shows it.
    static let note = "note \u{1B}]0;pwned-note\u{7}\u{1B}[2J\u{1B}[H \u{202E}evil\u{202C} 注記👩\u{200D}💻 \u{1B}[31mred\u{1B}[0m"
        + " and a reason long enough to be cut by every column of every screen at this size of the terminal"
    static let noteOperator = "op\u{1B}[5m\u{202E}"

    /// Injected strings and the inert form that must be on screen instead (shown as control pictures).
    static let visibleForms = [
        "Fraud scorer␛[2J␛[H v2 ␛]0;pwned-title␇",      // title: clear screen, home, window title
        "不正検知モデル␛[31m-赤-␛[0m-スコアラー",          // model: colours, CJK
        "mallory␛]2;owned␇",                              // owner: window title
        "shadow␛[7m",                                      // stage: reverse video
        "canary-25␛]0;t␇",                                 // stage: window title
        "error-rate␛[2J␛[H",                               // rule name
        "BR␛[2J␛[H",                                       // segment
    ]

    static func hostileScalarCount(_ s: String) -> Int {
        s.unicodeScalars.filter { v in
            v.value < 0x20 || (0x7F...0x9F).contains(v.value) || (0x202A...0x202E).contains(v.value)
                || (0x2066...0x2069).contains(v.value) || v.value == 0x200B || v.value == 0x200D
        }.count
    }

    @Test("dashboard at 120x48: release, segment, rule, audit and review screens show every hostile string inertly and aligned",
          .enabled(if: TmuxSession.shouldRun))
    func dashboardShowsHostileNamesInertly() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("store.sqlite").path
        let width = 120, height = 48
        let session = try TmuxSession(arguments: [binary.path, "run", "--scenario", "hostile-names", "--store", store,
                                                  "--start-at", "2h", "--speed", "300"],
                                      environment: ["XDG_DATA_HOME": dir.path, "GATEWATCH_SAMPLE_DATA": Self.sampleData],
                                      width: width, height: height, reportTerminalState: true)
        defer { session.kill() }
        let titleBefore = session.paneFormat("#{pane_title}")

        var screens: [(name: String, inspection: PaneInspection)] = []
        func inspect(_ name: String) {
            let inspection = PaneInspection.of(session)
            screens.append((name, inspection))
            #expect(inspection.foreignEscapes.isEmpty, "\(name): raw escapes \(inspection.foreignEscapes)")
            #expect(inspection.bidiControls.isEmpty, "\(name): bidi controls \(inspection.bidiControls)")
            #expect(inspection.controls.isEmpty, "\(name): control characters \(inspection.controls.map(\.value))")
            #expect(inspection.misalignedRows.isEmpty, "\(name): \(inspection.misalignedRows.joined(separator: "\n"))")
            #expect(inspection.rows == height, "\(name): \(inspection.rows) rows")
        }

        // 1. Release screen: title, model, owner, stages, segments, rules.
        #expect(session.waitFor(text: "error-rate␛[2J␛[H", timeout: 20), "\(session.capture())")
        let release = session.capture()
        for form in Self.visibleForms {
            #expect(release.contains(form), "not shown inertly: \(form)\n\(release)")
        }
        #expect(release.contains("ÉÉÉÉÉÉÉÉÉ…"), "a long segment is cut with an ellipsis: \(release)")
        #expect(release.contains("�is…"), "the long title is cut with an ellipsis: \(release)")
        #expect(release.contains("日本/アプ"), "CJK segment: \(release)")
        inspect("release")

        // 2. Rule explanation of the error-rate rule (below the firing rows, which are listed first): its summary holds
        // a title sequence and a carriage return.
        for _ in 0..<12 {
            if session.capture().split(separator: "\n").contains(where: { $0.contains("▸") && $0.contains("error-rate␛[2J␛[H") }) { break }
            session.sendKeys("j")
            Thread.sleep(forTimeInterval: 0.2)
        }
        session.sendKeys("Enter")
        #expect(session.waitFor(text: "Errors␛]0;pwned␇ on more than 2% of decisions.␍OVERWRITE", timeout: 5), "\(session.capture())")
        inspect("rule")
        session.sendKeys("Escape")

        // 3. Segment screen of the emoji/flag/combining-mark segment, found with the filter.
        session.sendKeys("Tab")
        session.sendKeys("/")
        session.sendText("👩")
        session.sendKeys("Enter")
        #expect(session.waitFor(text: "filter: 👩", timeout: 5), "\(session.capture())")
        session.sendKeys("j")
        session.sendKeys("Enter")
        #expect(session.waitFor(text: "→ segment market=👩", timeout: 5), "\(session.capture())")
        inspect("segment")
        session.sendKeys("Escape")

        // 4. A hostile audit note, written by the action command while the dashboard runs.
        let pause = try ProcessResult.run(binary, ["pause", "--store", store, "--reason", Self.note, "--operator", Self.noteOperator],
                                          environment: ["XDG_DATA_HOME": dir.path])
        #expect(pause.status == 0, "\(pause.stdout) \(pause.stderr)")
        #expect(!pause.stdout.contains("\u{1B}") && !pause.stderr.contains("\u{1B}"))
        #expect(session.waitFor(text: "‖ paused", timeout: 10), "\(session.capture())")
        session.sendKeys("L")
        #expect(session.waitFor(text: "note ␛]0;pwned-note␇", timeout: 10), "\(session.capture())")
        let audit = session.capture()
        #expect(audit.contains("op␛[5m�"), "the operator name is shown inertly: \(audit)")
        inspect("audit")
        session.sendKeys("Escape")

        // 5. Review: the pause event's reason in full width on the detail row, cut with an ellipsis.
        session.sendKeys("R")
        #expect(session.waitFor(text: "REVIEW hostile-names-v2", timeout: 10), "\(session.capture())")
        var found = false
        for _ in 0..<12 where !found {
            session.sendKeys("]")
            found = session.waitFor(text: "→ note ␛]0;pwned-note␇␛[2J␛[H �evil� 注記👩", timeout: 1)
        }
        #expect(found, "the note on the review's detail row: \(session.capture())")
        let review = session.capture()
        #expect(review.split(separator: "\n").contains { $0.contains("→ note ␛]0;pwned-note") && $0.contains("…") },
                "the long note is cut with an ellipsis: \(review)")
        inspect("review")

        // The title was never changed and nothing cleared the screen (the panels are all still there).
        let titleAfter = session.paneFormat("#{pane_title}")
        #expect(!titleAfter.contains("pwned") && !titleAfter.contains("owned") && titleAfter == titleBefore,
                "pane title: \(titleBefore) → \(titleAfter)")

        session.sendKeys("q")
        #expect(session.exitStatus(timeout: 10) == 0, "\(session.capture())")
        let state = session.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true)

        let injected = Self.visibleForms.count + 7   // + long segment, wide/emoji/bidi/zero-width segments, 2 rule names, note
        let totalRows = screens.reduce(0) { $0 + $1.inspection.rows }
        let escapes = screens.reduce(0) { $0 + $1.inspection.foreignEscapes.count }
        let bidi = screens.reduce(0) { $0 + $1.inspection.bidiControls.count }
        let misaligned = screens.reduce(0) { $0 + $1.inspection.misalignedRows.count }
        let bordered = screens.reduce(0) { $0 + $1.inspection.borderedRows }
        print("hostile-names: \(injected) hostile strings (\(Self.hostileScalarCount(Self.note)) hostile characters in the note alone)"
            + " on \(screens.count) screens (\(screens.map(\.name).joined(separator: ", "))): \(escapes) raw escapes,"
            + " \(bidi) bidi controls, \(misaligned) misaligned of \(totalRows) rows (\(bordered) end in a border)"
            + (misaligned == 0 ? ", every row within \(width) columns and every border at column \(width)" : "")
            + "; pane title \(titleAfter == titleBefore ? "unchanged" : "changed")")
    }

    @Test("check --format json escapes every control and bidi character and keeps the data")
    func checkJSONEscapes() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let result = try ProcessResult.run(binary, ["check", "--scenario", "hostile-names", "--at", "2h", "--format", "json",
                                                    "--sample-data", Self.sampleData])
        #expect(result.status == 10, "blocked by the firing rules: \(result.stderr)")
        let raw = result.stdout.unicodeScalars.filter { v in
            (v.value < 0x20 && v != "\n") || (0x7F...0x9F).contains(v.value) || (0x202A...0x202E).contains(v.value)
                || (0x2066...0x2069).contains(v.value)
        }
        #expect(raw.isEmpty, "raw characters in the JSON: \(raw.map { String($0.value, radix: 16) })")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rules = try #require(json["rules"] as? [[String: Any]])
        let names = Set(rules.compactMap { $0["name"] as? String })
        // The data is intact: the JSON holds the exact names, escaped.
        #expect(names.contains("error-rate\u{1B}[2J\u{1B}[H"), "\(names)")
        #expect(names.contains("🚨\u{200D}🔥-precision-\u{2067}guard\u{2069}"), "\(names)")
        #expect(result.stdout.contains(#"error-rate\u001b[2J\u001b[H"#))
        #expect(result.stdout.contains(#"\u2067guard\u2069"#))
        let segments = try #require(json["segments"] as? [[String: Any]]).compactMap { $0["segment"] as? String }
        #expect(segments.contains("market=\u{202E}evil\u{202C},surface=\u{200B}\u{200D}zw"), "\(segments)")
        print("hostile-names check --format json: \(result.stdout.utf8.count) bytes, \(raw.count) raw control or bidi characters,"
            + " \(rules.count) rules and \(segments.count) segments read back exactly")
    }

    @Test("check text, snapshot, scenarios, review export and action output carry no escape sequence",
          arguments: [
            ["check", "--scenario", "hostile-names", "--at", "2h"],
            ["snapshot", "--scenario", "hostile-names", "--at", "2h", "--width", "120", "--height", "40"],
            ["scenarios"],
            ["review", "export", "--scenario", "hostile-names", "--at", "3h"],
          ])
    func textOutputsAreInert(arguments: [String]) throws {
        let binary = try TmuxSession.gatewatchBinary()
        let result = try ProcessResult.run(binary, arguments + ["--sample-data", Self.sampleData], timeout: 60)
        #expect([0, 10].contains(result.status), "\(arguments): \(result.stderr)")
        let out = result.stdout + result.stderr
        let raw = out.unicodeScalars.filter { v in
            (v.value < 0x20 && v != "\n" && v != "\t") || (0x7F...0x9F).contains(v.value) || (0x202A...0x202E).contains(v.value)
                || (0x2066...0x2069).contains(v.value)
        }
        #expect(raw.isEmpty, "\(arguments[0]): raw \(raw.map { String($0.value, radix: 16) })")
        if arguments[0] != "scenarios" {
            // The Markdown of `review export` escapes `[` as well (no link can form), so there it reads `␛\[2J`.
            let shown = arguments[0] == "review" ? "␛\\[2J" : "␛[2J"
            #expect(out.contains(shown), "\(arguments[0]) shows the escape inertly: \(out.prefix(2000))")
        }
        if arguments[0] == "snapshot" {
            let rows = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let widths = rows.map { PaneInspection.terminalWidth(String($0)) }
            #expect(rows.count == 40 && widths.allSatisfy { $0 <= 120 }, "\(zip(widths, rows).filter { $0.0 > 120 })")
        }
        print("hostile-names \(arguments.prefix(2).joined(separator: " ")): \(out.utf8.count) bytes, \(raw.count) raw control or bidi characters")
    }

    @Test("a server's error message with escape sequences and bidi controls is shown inertly by check and on the dashboard",
          .enabled(if: TmuxSession.shouldRun))
    func hostileServerMessage() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let setup = try CredentialsEndToEndTests.Setup(binary: binary)
        defer { setup.remove() }
        let server = try CredentialsEndToEndTests.EchoingUnauthorizedServer(
            status: "502 Bad Gateway", body: "upstream \u{1B}]0;pwned-by-server\u{7}\u{1B}[2J\u{1B}[H\u{202E}evil\u{202C} \u{9B}31m down")
        defer { server.close() }
        let config = try setup.config("prom.yaml", """
            registry: { kind: sqlite, path: \(setup.store) }
            metrics: { kind: prometheus, url: "http://127.0.0.1:\(server.port)", timeout: 5s }
            """)
        let check = try ProcessResult.run(binary, ["check", "--config", config, "--at", "2026-11-02T10:00:00Z"],
                                          environment: ["XDG_DATA_HOME": setup.dir.path])
        #expect(check.status == 2, "\(check.stderr)")
        #expect(check.stderr.contains("upstream ␛]0;pwned-by-server␇␛[2J␛[H�evil� �31m down"), "\(check.stderr)")
        #expect(!check.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x9B })

        let session = try TmuxSession(arguments: [binary.path, "--config", config],
                                      environment: ["XDG_DATA_HOME": setup.dir.path, "XDG_CONFIG_HOME": setup.dir.path],
                                      width: 200, height: 40, reportTerminalState: true)
        defer { session.kill() }
        let titleBefore = session.paneFormat("#{pane_title}")
        #expect(session.waitFor(text: "text instead of Prometheus JSON: \"upstream ␛]0", timeout: 20), "\(session.capture())")
        let inspection = PaneInspection.of(session)
        #expect(inspection.isClean, "\(inspection.summary) \(inspection.foreignEscapes) \(inspection.misalignedRows)")
        #expect(session.paneFormat("#{pane_title}") == titleBefore)
        session.sendKeys("q")
        #expect(session.exitStatus(timeout: 10) == 0)
        print("hostile server message (HTTP 502 with a title sequence, clear screen, bidi override and C1 CSI): check and the"
            + " dashboard show it inertly; pane \(inspection.summary); title unchanged")
    }

    @Test("a slug with an escape sequence is refused with a clear, inert message")
    func hostileSlugIsRefused() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gw-hostile-slug-\(UUID().uuidString)")
        let dir = root.appendingPathComponent("bad-slug")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let source = Self.sampleData + "/hostile-names"
        let spec = try String(contentsOfFile: source + "/release.yaml", encoding: .utf8)
            .replacingOccurrences(of: "slug: hostile-names-v2", with: "slug: \"hostile\\e]0;pwned\\a\\u202E-v2\"")
        try spec.write(to: dir.appendingPathComponent("release.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: source + "/simulation.yaml", toPath: dir.appendingPathComponent("simulation.yaml").path)
        let result = try ProcessResult.run(binary, ["check", "--scenario", "bad-slug", "--sample-data", root.path])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(#"slug "hostile\u{1B}]0;pwned\u{7}\u{202E}-v2" contains a control character (U+001B)"#),
                "\(result.stderr)")
        #expect(result.stderr.contains("put free text in `title`"))
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x7 || $0.value == 0x202E })
        print("hostile slug: refused with exit 2: \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
}
