import Core
import XCTest
@testable import Sandbox

final class PatchTests: XCTestCase {
    func json(_ text: String) throws -> Value { try JSONParser.parse(text) }

    func assertPatched(_ original: String, _ patch: String, _ expected: String, strategic: Bool = true,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let result = strategic ? Patch.strategic(try json(original), try json(patch)) : Patch.merge(try json(original), try json(patch))
        XCTAssertEqual(try JSONWriter.encode(result), try JSONWriter.encode(try json(expected)), file: file, line: line)
    }

    func testMergePatchReplacesListsAndDeletesNulls() throws {
        try assertPatched(#"{"a":{"b":1,"c":2},"l":[1,2]}"#, #"{"a":{"b":null,"d":3},"l":[3]}"#, #"{"a":{"c":2,"d":3},"l":[3]}"#, strategic: false)
    }

    func testStrategicMergesContainersByNameAndPortsByKey() throws {
        try assertPatched(
            #"{"spec":{"containers":[{"name":"a","image":"x:1","ports":[{"containerPort":80,"name":"http"}]},{"name":"b","image":"y"}]}}"#,
            #"{"spec":{"containers":[{"name":"a","image":"x:2","ports":[{"containerPort":81}]},{"name":"c","image":"z"}]}}"#,
            #"{"spec":{"containers":[{"name":"a","image":"x:2","ports":[{"containerPort":80,"name":"http"},{"containerPort":81}]},{"name":"b","image":"y"},{"name":"c","image":"z"}]}}"#)
    }

    func testStrategicDirectives() throws {
        try assertPatched(
            #"{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"args":["x"]}"#,
            #"{"$setElementOrder/env":[{"name":"B"},{"name":"A"}],"env":[{"$patch":"delete","name":"A"},{"name":"C","value":"3"}],"args":["y"]}"#,
            #"{"env":[{"name":"B","value":"2"},{"name":"C","value":"3"}],"args":["y"]}"#)
        try assertPatched(#"{"volumeMounts":[{"mountPath":"/a","name":"v"}]}"#,
                          #"{"$setElementOrder/volumeMounts":[{"mountPath":"/b"},{"mountPath":"/a"}],"volumeMounts":[{"mountPath":"/b","name":"w"}]}"#,
                          #"{"volumeMounts":[{"mountPath":"/b","name":"w"},{"mountPath":"/a","name":"v"}]}"#)
        try assertPatched(#"{"a":{"x":1},"b":2}"#, #"{"a":{"$patch":"replace","y":2},"$retainKeys":["a"]}"#, #"{"a":{"y":2},"b":2}"#)
    }
}
