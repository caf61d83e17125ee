import Core
import FuzzSupport
import OrderedCollections
@testable import Runtime
import Template

/// The Jinja-compatible template engine: any text parses or fails with a positioned diagnostic, and what parses
/// renders against a fixed context (values of every type, Tutor's filters, an includable partial) or fails with
/// one. `rsa_private_key` is left out: it is slow (key generation), not interesting to mutate.
private let config: [String: Value] = [
    "LMS_HOST": .string("www.example.com"), "CMS_HOST": .string("studio.www.example.com"),
    "ENABLE_HTTPS": .bool(false), "PLUGINS": .list([.string("mfe"), .string("indigo")]),
    "ID": .string("abcd1234"), "REPLICAS": .int(2), "RATIO": .float(0.5), "NOTHING": .null,
    "MFE_APPS": .map(["learning": .map(["name": .string("learning"), "port": .int(2000)]),
                      "account": .map(["name": .string("account"), "port": .int(1997)])]),
    "PAIRS": .list([.list([.string("lms"), .bool(true)]), .list([.string("cms"), .bool(false)])]),
    "TEXT": .string("Ünïcode – \"quoted\" 'single' {{ not a tag }}\nsecond line\t"),
]
private let partial = try? Template(name: "partial.yml", text: "partial: {{ LMS_HOST }}{% for p in PLUGINS %} {{ p }}{% endfor %}")
private let scope: TemplateScope = {
    var filters = TutorFilters.all
    filters["rsa_private_key"] = nil
    return TemplateScope(
        lookup: { config[$0] }, names: { Array(config.keys) },
        functions: ["patch": { args, _ in .string("# patch \(args.first?.displayString ?? "")") }],
        filters: filters,
        include: { $0 == "partial.yml" ? partial : nil })
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = SourceFile(name: "fuzz.yml", bytes: fuzzBytes(data, size))
    guard let template = try? Template(file) else { return 0 }
    _ = try? template.render(scope)
    return 0
}
