import Core
import Lang

/// What Tab does to the line.
enum TabAction: Equatable {
    /// Text to insert at the cursor: the rest of the only candidate, or the
    /// part every candidate shares.
    case insert(String)
    /// Several candidates and nothing they share beyond the word: show them.
    case list([String])
    case none

    /// Works out the action for the text before the cursor with `completer`
    /// (the builtin signatures, the session's functions and variables, the
    /// runtime's value lists). A word that opens a string is completed as a
    /// file path when the signature has nothing better to offer.
    static func forText(_ before: String, completer: Completer) -> TabAction {
        var (word, candidates) = completer.complete(before)
        if candidates.isEmpty, word.hasPrefix("\"") {
            candidates = FileSystem.entries(matching: String(word.dropFirst())).map { "\"" + $0 }
        }
        guard let first = candidates.first else { return .none }
        if candidates.count == 1 {
            let rest = String(first.dropFirst(word.count))
            if first.hasSuffix("/") { return .insert(rest) }
            return .insert(rest + (first.hasPrefix("\"") ? "\"" : " "))
        }
        let shared = candidates.dropFirst().reduce(first) { $0.commonPrefix(with: $1) }
        return shared.count > word.count ? .insert(String(shared.dropFirst(word.count))) : .list(candidates)
    }

    /// Candidates in columns across `width`, as shells list them.
    static func columns(_ items: [String], width: Int) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / cell)
        var out = ""
        for (i, item) in items.enumerated() {
            let last = i % perRow == perRow - 1 || i == items.count - 1
            out += last ? item + "\n" : item.padded(to: cell, minimumGap: 0)
        }
        return out
    }
}

extension String {
    func commonPrefix(with other: String) -> String {
        String(zip(self, other).prefix { $0 == $1 }.map(\.0))
    }
}
