import Testing
import GatewatchCore

/// Secrets are hidden from text that is shown and kept (a hook's stderr), in every form a script prints them.
@Suite struct SecretScrubberTests {
    @Test(arguments: [
        ("password=hunter2 next", "password=[hidden] next"),
        ("DB_PASSWORD: 'a b c' rest", "DB_PASSWORD: [hidden] rest"),
        ("api_key=abc123&x=1", "api_key=[hidden]&x=1"),
        ("Authorization: Bearer abcdef123456", "Authorization: Bearer [hidden]"),
        ("curl https://user:pa55word@host/x", "curl https://[hidden]@host/x"),
        ("jwt eyJhbGciOi.eyJzdWIiOiIx.sig-part here", "jwt [hidden] here"),
        ("aws AKIAIOSFODNN7EXAMPLE", "aws [hidden]"),
        ("no secret in this line", "no secret in this line"),
    ])
    func patterns(_ input: String, _ expected: String) {
        #expect(SecretScrubber.scrub(input) == expected)
    }

    @Test func givenValuesAreHiddenLongestFirst() {
        #expect(SecretScrubber.scrub("tok abcdefgh and abcd", secrets: ["abcd", "abcdefgh"]) == "tok [hidden] and [hidden]")
    }

    @Test func anExcerptIsOneBoundedLineWithoutControlCharacters() {
        let text = "first\u{1B}]0;title\u{07}\nsecond\t\u{1B}[2Jline\n\n" + String(repeating: "z", count: 500)
        let excerpt = SecretScrubber.excerpt(text, limit: 40)
        #expect(excerpt.count == 40 && excerpt.hasSuffix("…"))
        #expect(excerpt.hasPrefix("first]0;title / second [2Jline / zz"), "\(excerpt)")
        #expect(!excerpt.unicodeScalars.contains { $0.value < 0x20 })
    }

    /// Hidden before the cut: a cut through a secret would leave its first characters.
    @Test func aSecretAtTheLimitIsHiddenWhole() {
        let excerpt = SecretScrubber.excerpt("0123456789 password=verylongsecretvalue", limit: 25)
        #expect(!excerpt.contains("verylong") && !excerpt.contains("very"), "\(excerpt)")
    }
}
