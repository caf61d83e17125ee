/// Did-you-mean: the known name a misspelt one most likely meant. Shared by Lang's resolver and builtins and by
/// the template engine.
///
/// The distance is optimal string alignment (Levenshtein plus the swap of two neighbouring letters as one edit),
/// because the commonest typo at a keyboard is two letters typed in the wrong order: `sttaus` is one slip from
/// `status`, not two. A name is suggested when it is at most a third of the typed length away (at least 2 edits
/// allowed) and closer than retyping the whole word.

/// The closest of `candidates` to `name`, ignoring case; on a tie the earlier candidate wins.
public func closestName(to name: String, in candidates: some Sequence<String>) -> String? {
    closestName(to: name, in: candidates, then: [String]())
}

/// The closest of `preferred` and `others` to `name`; at the same distance a preferred name wins. An unknown
/// command suggests a builtin before a user function, since a command is what was typed.
public func closestName(to name: String, in preferred: some Sequence<String>, then others: some Sequence<String>) -> String? {
    let target = Array(name.lowercased().unicodeScalars)
    var best: (name: String, distance: Int)?
    func consider(_ candidates: some Sequence<String>) {
        for c in candidates {
            let d = editDistance(target, Array(c.lowercased().unicodeScalars))
            if best == nil || d < best!.distance { best = (c, d) }
        }
    }
    consider(preferred)
    consider(others)
    guard let best, best.distance <= max(2, target.count / 3), best.distance < target.count else { return nil }
    return best.name
}

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of adjacent letters
/// each count one (a letter is not edited twice, so `ca` → `abc` is 3, where full Damerau would give 2).
public func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // Three rows: the one before the previous is where a transposition comes from.
    var before = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            var d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
            cur[j] = d
        }
        (before, prev, cur) = (prev, cur, before)
    }
    return prev[b.count]
}
