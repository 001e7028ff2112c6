import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP proxy on 127.0.0.1 in front of a real server (Prometheus, MLflow) that injects faults on demand: it
/// hangs, answers 500 or malformed JSON, refuses, or rewrites Prometheus answers (NaN/±Inf/negative values,
/// dropped or duplicated series), or fails only the requests whose body contains a string. What it injected is
/// counted per fault, so a test can print it.
///
/// Written on plain sockets, one thread per connection, HTTP/1.1 with keep-alive as the sources speak it: a test
/// helper that must misbehave in ways no well-kept server library offers. Upstream requests go out as HTTP/1.0 with
/// the connection closed after the answer, so the answer is whatever arrives until EOF (no chunked decoding).
public final class FaultProxy: @unchecked Sendable {
    public enum Fault: Equatable, Sendable, CustomStringConvertible {
        case none
        /// Reads the request and never answers (until the fault changes).
        case hang
        /// `500 Internal Server Error` with a JSON error body.
        case serverError
        /// `200` with a JSON body cut off in the middle.
        case malformedJSON
        /// Closes the connection without answering.
        case refuse
        /// Prometheus answers with every value replaced in turn by `NaN`, `+Inf`, `-Inf` and `-7`.
        case specialValues
        /// Prometheus answers with every other series left out.
        case dropSeries
        /// Prometheus answers with every series twice.
        case duplicateSeries
        /// Prometheus answers with one more point per series, dated a year after its last.
        case futureDatedPoints
        /// `500` for requests whose body or path contains the string; the others pass.
        case failRequests(containing: String)

        public var description: String {
            switch self {
            case .none: return "none"
            case .hang: return "hang"
            case .serverError: return "HTTP 500"
            case .malformedJSON: return "malformed JSON"
            case .refuse: return "connection closed"
            case .specialValues: return "NaN/±Inf/negative values"
            case .dropSeries: return "half the series dropped"
            case .duplicateSeries: return "every series duplicated"
            case .futureDatedPoints: return "a point a year ahead in every series"
            case .failRequests(let s): return "HTTP 500 for requests containing \"\(s)\""
            }
        }
    }

    public let url: URL
    private let upstreamPort: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var currentFault: Fault = .none
    private var counts: [String: Int] = [:]
    private var stopped = false

    /// Listens on a free port of 127.0.0.1, forwarding to `upstream` (an `http://127.0.0.1:PORT` URL).
    public init(upstream: URL) throws {
        guard let port = upstream.port else { throw ProxyError("upstream \(upstream) has no port") }
        upstreamPort = UInt16(port)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError("socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw ProxyError("bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        url = URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))")!
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fault-proxy"
        thread.start()
    }

    /// The fault injected from now on (requests in progress keep theirs, except a hang, which ends when it changes).
    public var fault: Fault {
        get { lock.withLock { currentFault } }
        set { lock.withLock { currentFault = newValue } }
    }

    /// Requests answered (or not) with each fault so far, by the fault's description.
    public var injected: [String: Int] { lock.withLock { counts } }

    /// Requests seen with `fault` so far.
    public func count(_ fault: Fault) -> Int { lock.withLock { counts[fault.description] ?? 0 } }

    public func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if already { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    // MARK: Serving

    private func acceptLoop() {
        while !lock.withLock({ stopped }) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer = [UInt8]()
        while !lock.withLock({ stopped }) {
            guard let request = Self.readRequest(client, buffer: &buffer) else { return }
            let fault = self.fault
            var applied = fault
            if case .failRequests(let needle) = fault, !request.contains(needle) { applied = .none }
            lock.withLock { counts[applied.description, default: 0] += 1 }
            switch applied {
            case .hang:
                while self.fault == .hang, !lock.withLock({ stopped }) { usleep(20_000) }
                return
            case .refuse:
                return
            case .serverError, .failRequests:
                Self.send(client, status: "500 Internal Server Error",
                          body: Data(#"{"status":"error","errorType":"internal","error":"injected fault","error_code":"INTERNAL_ERROR","message":"injected fault"}"#.utf8))
            case .malformedJSON:
                Self.send(client, status: "200 OK", body: Data(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"#.utf8))
            case .none, .specialValues, .dropSeries, .duplicateSeries, .futureDatedPoints:
                guard let (status, body) = forward(request) else { return }
                Self.send(client, status: status, body: Self.rewrite(body, applied))
            }
        }
    }

    /// Sends the request upstream (HTTP/1.0, connection closed after the answer) and returns its status line's
    /// status and its body.
    private func forward(_ request: Request) -> (String, Data)? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return nil }
        defer { close(upstream) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return ("502 Bad Gateway", Data()) }
        var head = "\(request.method) \(request.target) HTTP/1.0\r\n"
        for (name, value) in request.headers where !["connection", "content-length", "accept-encoding", "keep-alive"].contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        guard Self.write(upstream, Data(head.utf8) + request.body) else { return nil }
        var answer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(upstream, &chunk, chunk.count, 0)
            if n <= 0 { break }
            answer.append(contentsOf: chunk[0..<n])
        }
        guard let end = answer.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let statusLine = String(decoding: answer[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let status = statusLine.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "502 Bad Gateway"
        return (status, Data(answer[end.upperBound...]))
    }

    /// A Prometheus answer with the fault applied to its series (other answers unchanged).
    static func rewrite(_ body: Data, _ fault: Fault) -> Data {
        guard [.specialValues, .dropSeries, .duplicateSeries, .futureDatedPoints].contains(fault),
              var root = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              var data = root["data"] as? [String: Any], var result = data["result"] as? [[String: Any]] else { return body }
        switch fault {
        case .specialValues:
            let specials = ["NaN", "+Inf", "-Inf", "-7"]
            for i in result.indices {
                guard let values = result[i]["values"] as? [[Any]] else { continue }
                result[i]["values"] = values.enumerated().map { k, point in [point[0], specials[(i + k) % specials.count]] }
            }
        case .dropSeries:
            result = result.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        case .futureDatedPoints:
            for i in result.indices {
                guard var values = result[i]["values"] as? [[Any]], let last = values.last,
                      let time = (last[0] as? NSNumber)?.doubleValue else { continue }
                values.append([time + 365 * 86_400, last[1]])
                result[i]["values"] = values
            }
        default:
            result = result + result
        }
        data["result"] = result
        root["data"] = data
        return (try? JSONSerialization.data(withJSONObject: root)) ?? body
    }

    // MARK: HTTP on sockets

    struct Request {
        var method: String
        var target: String
        var headers: [(String, String)]
        var body: Data

        func contains(_ needle: String) -> Bool {
            target.removingPercentEncoding?.contains(needle) == true || target.contains(needle)
                || String(decoding: body, as: UTF8.self).contains(needle)
        }
    }

    /// Reads one request (head and `Content-Length` body); nil when the peer closed the connection.
    static func readRequest(_ fd: Int32, buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func headEnd() -> Int? {
            guard buffer.count >= 4 else { return nil }
            for i in 0...(buffer.count - 4) where buffer[i..<i + 4].elementsEqual(separator) { return i }
            return nil
        }
        while headEnd() == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
        }
        let end = headEnd()!
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = head.split(separator: "\r\n").map(String.init)
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        while buffer.count < end + 4 + length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
        }
        let body = Data(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    static func send(_ fd: Int32, status: String, body: Data) {
        let head = "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: keep-alive\r\n\r\n"
        _ = write(fd, Data(head.utf8) + body)
    }

    static func write(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    struct ProxyError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
