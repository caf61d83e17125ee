import Glibc
import Lang
let rt = Interpreter()
let code = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "print 1"
let status = rt.execute(SourceFile(name: "<-c>", text: code), errors: StandardError.write)
StandardOutput.flush()
exit(status)
