#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core
import OrderedCollections

/// The process's surroundings: environment variables, the clock, waiting.
extension CoreBuiltins {
    static func registerSystem(_ r: Registry) {
        r.register(Signature("env", "An environment variable (DEFAULT, or null, when it is not set), or all of them as a map.",
                             params: [Param("name", .string, .optional, help: "the variable; without it, a map of every variable sorted by name"),
                                      Param("default", .any, .optional, help: "what to return when NAME is not set")],
                             statement: .printed, examples: ["env HOME", "let ns = (env K8S_NAMESPACE \"openedx\")", "for k, v in (env) { print $k }"])) { args, _ in
            guard let name = args.optionalString("name") else {
                var all: [(String, String)] = []
                var p = environmentPointer()
                while let entry = p?.pointee {
                    let s = String(cString: entry)
                    if let eq = s.firstIndex(of: "=") {
                        all.append((String(s[..<eq]), String(s[s.index(after: eq)...])))
                    }
                    p = p?.successor()
                }
                var dict: OrderedDictionary<String, Value> = [:]
                for (k, v) in all.sorted(by: { $0.0 < $1.0 }) where dict[k] == nil { dict[k] = .string(v) }
                return .map(dict)
            }
            if name.isEmpty || name.contains("=") || name.utf8.contains(0) {
                throw Diagnostic(.invalidArgument, "`env`: \(quoteString(name)) is not a variable name", at: args.span)
            }
            if let v = getenv(name) { return .string(String(cString: v)) }
            return args["default"] ?? .null
        }

        r.register(Signature("now", "The current time: ISO 8601 in UTC by default (2026-11-25T09:04:05Z).",
                             flags: [FlagSpec("format", value: .string, help: "a strftime format such as %Y%m%d-%H%M%S"),
                                     FlagSpec("local", help: "use the local time zone instead of UTC"),
                                     FlagSpec("unix", help: "seconds since 1970-01-01 UTC, as an int")],
                             statement: .printed, examples: ["now   # \"2026-11-25T09:04:05Z\"", "let stamp = (now --format \"%Y%m%d-%H%M%S\")",
                                        "now --unix   # 1795424645"])) { args, _ in
            let t = time(nil)
            let format = args.optionalString("format")
            if args.has("unix") {
                if format != nil || args.has("local") {
                    throw Diagnostic(.invalidArgument, "`now --unix` is a number; it takes neither --format nor --local", at: args.span)
                }
                return .int(Int(t))
            }
            let local = args.has("local")
            var tmv = tm()
            var tt = t
            if local { localtime_r(&tt, &tmv) } else { gmtime_r(&tt, &tmv) }
            if let format { return .string(formatTime(format, tmv)) }
            if !local { return .string(formatTime("%Y-%m-%dT%H:%M:%SZ", tmv)) }
            // ISO 8601 wants the offset as +01:00; strftime's %z writes +0100.
            var s = formatTime("%Y-%m-%dT%H:%M:%S%z", tmv)
            if s.count >= 5 { s.insert(":", at: s.index(s.endIndex, offsetBy: -2)) }
            return .string(s)
        }

        r.register(Signature("sleep", "Wait SECONDS (an int or a float); Ctrl-C interrupts the wait.",
                             params: [Param("seconds", .number, help: "how long to wait, such as 2 or 0.5")],
                             examples: ["sleep 2", "sleep 0.25"])) { args, rt in
            let seconds = args.number("seconds")
            guard seconds.isFinite, seconds >= 0 else {
                throw Diagnostic(.invalidArgument, "`sleep` wants a number of seconds, at least 0, got \(formatFloat(seconds))", at: args.span)
            }
            try rt.pause(seconds, at: args.span)
            return .null
        }
    }
}

extension Interpreter {
    /// Waits `seconds` in slices of 50 ms, so that Ctrl-C ends the wait at once (E2012 at `span`): `sleep`, and the
    /// runtime's waits between retries.
    public func pause(_ seconds: Double, at span: Span) throws {
        let deadline = monotonicSeconds() + seconds
        while true {
            try checkInterrupt(span)
            let left = deadline - monotonicSeconds()
            if left <= 0 { break }
            let slice = min(left, 0.05)
            var req = timespec(tv_sec: 0, tv_nsec: Int(slice * 1e9))
            _ = nanosleep(&req, nil)
        }
    }
}

/// `environ`, read through a function so strict concurrency checking does not see a global.
private func environmentPointer() -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    #if canImport(Glibc)
    return Glibc.environ
    #else
    return _NSGetEnviron()?.pointee
    #endif
}

/// Seconds on a clock that never goes back (for durations; not the time of day).
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `strftime` into a string of any length (also `file list`'s `modified`).
func formatTime(_ format: String, _ t: tm) -> String {
    if format.isEmpty { return "" }
    var tmv = t
    var size = 256
    while size <= 65536 {
        var buf = [CChar](repeating: 0, count: size)
        let n = strftime(&buf, size, format, &tmv)
        if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        size *= 4
    }
    // strftime writes nothing for formats like "%p" in some locales; an empty result is not an error.
    return ""
}
