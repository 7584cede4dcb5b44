import Foundation
import GCP2Core
import Testing

@testable import GCP2CLI
@testable import GCP2Store

#if canImport(Glibc)
    import Glibc
#endif

/// A Chromium or Chrome on this machine, if any (`GCP2_BROWSER` names one explicitly, or `none`).
enum Browser {
    static let path: String? = {
        let given = ProcessInfo.processInfo.environment["GCP2_BROWSER"]
        if given == "none" { return nil }  // to see the test skipped on a machine that has a browser
        let env = given.map { [$0] } ?? []
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        let known = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].flatMap { name in
            folders.map { "\($0)/\(name)" }
        }
        return (env + known).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The headless command line that renders `html` to a screenshot or a PDF (`Docs/reports.md` shows it).
    static func arguments(_ html: String, screenshot: String? = nil, pdf: String? = nil, profile: String) -> [String] {
        var args = ["--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=\(profile)"]
        if getuid() == 0 { args.append("--no-sandbox") }  // Chromium refuses to run as root with its sandbox.
        if let screenshot { args += ["--window-size=1100,1500", "--screenshot=\(screenshot)"] }
        if let pdf { args += ["--print-to-pdf=\(pdf)", "--no-pdf-header-footer"] }
        return args + ["file://\(html)"]
    }

    /// Runs the browser, killing it if it takes longer than `seconds`.
    static func run(_ args: [String], seconds: Double = 40) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path!)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return p.terminationStatus
    }
}

/// What `check_png.py` says of a screenshot.
struct PNGCheck: Decodable {
    var width: Int
    var height: Int
    var colours: Int
    var ink: Double
    var chartPixels: Int
}

/// The demo reports in a real browser: skipped (never passed) when no browser is installed.
@Suite(.serialized) struct ReportBrowserTests {
    /// Rendered headless to PNG and to A4 PDF: the screenshot shows charts, and each child has a page.
    /// With GCP2_UPDATE_SCREENSHOTS=1 the screenshots are copied to Docs/images for Docs/reports.md.
    @Test(.enabled(if: Browser.path != nil, "no Chromium or Chrome on this machine (.ci/run installs chromium)"))
    func demoReportsRenderInAHeadlessBrowser() throws {
        let demo = try DemoReports()
        let store = try Store.open(at: demo.fx.store)
        let index = try store.familyIndex(FamilyID(rawValue: "f-demo01")!)
        let children = index.family.children.count
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/images")
        for (name, html, pages) in [("report-family", demo.family, children), ("report-caseload", demo.caseload, 1)] {
            let page = demo.file("\(name).html", html)
            let png = demo.fx.root + "/\(name).png", pdf = demo.fx.root + "/\(name).pdf"
            let profile = demo.fx.root + "/browser-profile"
            #expect(try Browser.run(Browser.arguments(page, screenshot: png, profile: profile)) == 0)
            #expect(try Browser.run(Browser.arguments(page, pdf: pdf, profile: profile)) == 0)
            // Not blank: many colours, some ink but not all, and the charts' bar colour drawn.
            let script = fixtures.appendingPathComponent("check_png.py").path
            let r = try runProcess("/usr/bin/env", ["python3", script, png, "#2c3e57"])
            try #require(r.code == 0, "\(r.err)")
            let shot = try JSONDecoder().decode(PNGCheck.self, from: Data(r.out.utf8))
            #expect(shot.width == 1100 && shot.height == 1500)
            #expect(shot.colours >= 16, "\(name): \(shot.colours) colours")
            #expect(shot.ink > 0.05 && shot.ink < 0.9, "\(name): \(shot.ink) of the pixels inked")
            #expect(shot.chartPixels > 2000, "\(name): \(shot.chartPixels) pixels of chart bars")
            // A4 PDF: at least one page per child (each child starts a page).
            let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
            let text = String(decoding: bytes, as: UTF8.self)
            let pageObjects = try Regex(#"/Type\s*/Page(?!s)"#)
            let count = text.matches(of: pageObjects).count
            #expect(bytes.starts(with: Data("%PDF-".utf8)))
            #expect(count >= pages, "\(name): \(count) pages for \(pages) expected at least")
            if ProcessInfo.processInfo.environment["GCP2_UPDATE_SCREENSHOTS"] == "1" {
                let target = docs.appendingPathComponent("\(name).png")
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: URL(fileURLWithPath: png), to: target)
            }
        }
    }
}
