import CEditShim
import CLibEdit
import Glibc
import Lang

/// What reading one line at the prompt gave.
enum LineRead: Equatable {
    case line(String)
    /// Ctrl-C: the line typed so far is dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the input closed.
    case end
}

/// Where the REPL gets its lines: libedit on a terminal (`LineEditor`), plain
/// reads when only standard input is one (`PlainLines`).
protocol LineSource: AnyObject {
    func read(prompt: String) -> LineRead
    /// Records a finished entry (possibly several lines) in the history.
    func remember(_ entry: String)
}

/// libedit's native API: emacs keys, a history shared through `HistoryFile`,
/// Ctrl-R incremental search, and Tab asking `complete` what to insert.
/// libedit handles SIGWINCH itself (EL_SIGNAL) and redraws the line.
final class LineEditor: LineSource {
    private let el: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: HistoryFile
    /// The prompt libedit draws; it keeps the pointer, so it lives here.
    private var promptText: UnsafeMutablePointer<CChar>?
    /// Set by the ^C key binding: the NULL `el_gets` gives back is an interrupt, not the end.
    private var interrupted = false
    /// Tab: given the text before the cursor, what to do.
    var complete: (String) -> TabAction = { _ in .none }

    init?(program: String, historyFile: HistoryFile) {
        guard let el = tk8s_el_init_std(program), let history = history_init() else { return nil }
        self.el = el
        self.history = history
        self.historyFile = historyFile
        tk8s_history_setsize(history, Int32(historyFile.limit))
        tk8s_history_setunique(history, 1)
        load(historyFile.entries())

        tk8s_el_set_editor(el, "emacs")
        tk8s_el_set_signal(el, 1)
        tk8s_el_set_hist(el, history)
        tk8s_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        tk8s_el_set_prompt(el) { el in
            guard let el, let me = LineEditor.from(el) else { return nil }
            return me.promptText
        }
        tk8s_el_addfn(el, "tk8s-complete", "Complete the word before the cursor") { el, _ in
            guard let el, let me = LineEditor.from(el) else { return UInt8(CC_ERROR) }
            return me.completeAtCursor()
        }
        tk8s_el_bind(el, "^I", "tk8s-complete")
        // libedit reads with ISIG off, so ^C at the prompt is a key, not a signal:
        // end this read (CC_EOF) and let `read` report an interrupt.
        tk8s_el_addfn(el, "tk8s-interrupt", "Drop the line being typed") { el, _ in
            guard let el, let me = LineEditor.from(el) else { return UInt8(CC_ERROR) }
            me.interrupted = true
            return UInt8(CC_EOF)
        }
        tk8s_el_bind(el, "^C", "tk8s-interrupt")
        tk8s_el_bind(el, "^R", "em-inc-search-prev")
        el_source(el, nil)  // the user's ~/.editrc, if any, has the last word
    }

    deinit {
        el_end(el)
        history_end(history)
        free(promptText)
    }

    private static func from(_ el: OpaquePointer) -> LineEditor? {
        tk8s_el_get_clientdata(el).map { Unmanaged<LineEditor>.fromOpaque($0).takeUnretainedValue() }
    }

    func read(prompt: String) -> LineRead {
        free(promptText)
        promptText = strdup(prompt)
        Interpreter.interruptRequested = false
        interrupted = false
        var count: Int32 = 0
        let line = Interrupts.interruptibly { el_gets(el, &count) }
        guard let line else {
            // The ^C key, or a SIGINT (`kill -INT`) that woke the read.
            if interrupted || Interpreter.interruptRequested {
                Interpreter.interruptRequested = false
                el_reset(el)
                StandardError.write("^C\n")
                return .interrupted
            }
            StandardError.write("\n")
            return .end
        }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    func remember(_ entry: String) {
        load(historyFile.append(entry))
    }

    /// Replaces the session's history with `entries` (oldest first).
    private func load(_ entries: [String]) {
        tk8s_history_clear(history)
        for e in entries { tk8s_history_enter(history, e) }
    }

    private func completeAtCursor() -> UInt8 {
        guard let info = el_line(el)?.pointee, let start = info.buffer else { return UInt8(CC_ERROR) }
        let before = String(decoding: UnsafeRawBufferPointer(start: start, count: info.cursor - start), as: UTF8.self)
        switch complete(before) {
        case .insert(let text):
            el_insertstr(el, text)
            return UInt8(CC_REFRESH)
        case .list(let candidates):
            StandardOutput.write("\n" + TabAction.columns(candidates, width: terminalWidth()))
            StandardOutput.flush()
            return UInt8(CC_REDISPLAY)
        case .none:
            return UInt8(CC_REFRESH_BEEP)
        }
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        return ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }
}

/// Lines from standard input without editing, for a terminal whose output
/// goes elsewhere (`tk8s > log`): the prompt goes to standard error.
final class PlainLines: LineSource {
    func read(prompt: String) -> LineRead {
        StandardError.write(prompt)
        guard let line = readLine(strippingNewline: true) else {
            StandardError.write("\n")
            return .end
        }
        return .line(line)
    }

    func remember(_ entry: String) {}
}
