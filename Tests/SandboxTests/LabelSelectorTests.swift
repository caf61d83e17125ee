import XCTest
@testable import Sandbox

final class LabelSelectorTests: XCTestCase {
    let labels = ["app.kubernetes.io/name": "lms", "app.kubernetes.io/component": "job", "tier": "web"]

    func matches(_ text: String) throws -> Bool { try LabelSelector(parsing: text).matches(labels) }

    func testOperators() throws {
        XCTAssertTrue(try matches(""))
        XCTAssertTrue(try matches("app.kubernetes.io/name=lms"))
        XCTAssertTrue(try matches("app.kubernetes.io/name==lms"))
        XCTAssertFalse(try matches("app.kubernetes.io/name!=lms"))
        XCTAssertTrue(try matches("missing!=x"))
        XCTAssertTrue(try matches("tier in (db, web)"))
        XCTAssertFalse(try matches("app.kubernetes.io/component notin (job,namespace)"))
        XCTAssertTrue(try matches("missing notin (job)"))
        XCTAssertTrue(try matches("tier"))
        XCTAssertFalse(try matches("!tier"))
        XCTAssertTrue(try matches("!missing"))
        XCTAssertTrue(try matches("tier in (web),app.kubernetes.io/name=lms,!missing"))
        XCTAssertFalse(try matches("tier in (web),app.kubernetes.io/name=cms"))
    }

    func testParsesRequirements() throws {
        let s = try LabelSelector(parsing: "a in (x,y), !b")
        XCTAssertEqual(s.requirements, [.init(key: "a", op: .in, values: ["x", "y"]), .init(key: "b", op: .doesNotExist, values: [])])
        XCTAssertThrowsError(try LabelSelector(parsing: "a in (x"))
        XCTAssertThrowsError(try LabelSelector(parsing: "a,,b"))
        XCTAssertThrowsError(try LabelSelector(parsing: "a foo (x)"))
    }
}
