import Foundation
import GatewatchTestSupport
import GatewatchHTTP
import Testing

/// Identity on a real MLflow with basic authentication: three users with READ, EDIT and MANAGE on the release's
/// registered model each do exactly what their role allows, from the command line and from the dashboard; the audit
/// actor is the name MLflow authenticated whatever `--operator` says; the READ user's own tag write is refused by the
/// server itself.
extension RealSourcesEndToEndTests {
    /// A user made by the admin with `permission` on `model`; its credentials as the MLflow client's variables.
    static func mlflowUser(_ prefix: String, permission: String, on model: String, admin: HTTPConnection) throws -> [String: String?] {
        let name = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())", password = "Pass-\(UUID().uuidString.prefix(10))"
        let created = try admin.post("/api/2.0/mlflow/users/create",
                                     json: try JSONSerialization.data(withJSONObject: ["username": name, "password": password]))
        guard created.status == 200 else { throw TmuxSession.Failure(description: "users/create: \(created.status) \(created.text)") }
        let granted = try admin.post("/api/3.0/mlflow/users/permissions/grant", json: try JSONSerialization.data(withJSONObject: [
            "username": name, "resource_type": "registered_model", "resource_id": model, "permission": permission]))
        guard granted.status == 200 else { throw TmuxSession.Failure(description: "permissions/grant: \(granted.status) \(granted.text)") }
        return ["MLFLOW_TRACKING_USERNAME": name, "MLFLOW_TRACKING_PASSWORD": password]
    }

    @Test func mlflowUsersActExactlyAsTheirPermissionAllows() throws {
        let f = try fixture
        let server = try f.basicAuthServer()
        let r = f.tui
        let adminCredentials = HTTPCredentials.basic(user: "admin", password: f.basicAuthPassword)
        let admin: [String: String?] = ["MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": f.basicAuthPassword]
        let config = try f.writeConfig("identity.yaml", registryURL: server.url, history: "3d")
        // The release in the authenticated MLflow, seeded by the admin (its metrics are the shared Prometheus's).
        let seeded = try f.gatewatch(["registry", "seed", "--sample-data", r.sampleData, "--scenario", r.scenario, "--at", r.at,
                                      "--config", config.path], extra: admin, timeout: 120)
        try #require(seeded.status == 0, "registry seed: \(seeded.stdout)\(seeded.stderr)")
        let rest = try MLflowRESTReader(server.url, credentials: adminCredentials)
        let reader = try Self.mlflowUser("reader", permission: "READ", on: r.model, admin: rest.connection)
        let editor = try Self.mlflowUser("editor", permission: "EDIT", on: r.model, admin: rest.connection)
        let manager = try Self.mlflowUser("manager", permission: "MANAGE", on: r.model, admin: rest.connection)
        func name(_ user: [String: String?]) -> String { (user["MLFLOW_TRACKING_USERNAME"] ?? nil) ?? "" }
        func lastEvent() throws -> MLflowRESTReader.AuditTag? { try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).last }
        let base = ["--config", config.path, "--release", r.slug]
        let eventsBefore = try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).count

        // READ → reviewer: no pause, no rollback, even claiming to be the admin; nothing written.
        let readerPause = try f.gatewatch(["pause"] + base + ["--operator", "admin"], extra: reader)
        #expect(readerPause.status == 10 && readerPause.stdout.contains("reviewer may not pause (needs oncall or owner)"),
                "\(readerPause.status) \(readerPause.stdout)\(readerPause.stderr)")
        let readerRollback = try f.gatewatch(["rollback"] + base + ["--reason", "e2e"], extra: reader)
        #expect(readerRollback.status == 10 && readerRollback.stdout.contains("reviewer may not roll back"), "\(readerRollback.stdout)\(readerRollback.stderr)")
        let readerAsOwner = try f.gatewatch(["pause"] + base + ["--as", "owner"], extra: reader)
        #expect(readerAsOwner.status == 10 && readerAsOwner.stdout.contains("--as owner would raise the role of \(name(reader)), who is reviewer"),
                "\(readerAsOwner.stdout)\(readerAsOwner.stderr)")
        #expect(try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).count == eventsBefore, "a refused action wrote an event")
        // And the server itself refuses the READ user's tag write.
        let readerREST = try HTTPConnection(baseURL: server.url, credentials: .basic(user: name(reader), password: (reader["MLFLOW_TRACKING_PASSWORD"] ?? nil) ?? ""))
        let tagWrite = try readerREST.post("/api/2.0/mlflow/registered-models/set-tag", json: try JSONSerialization.data(withJSONObject: [
            "name": r.model, "key": "gatewatch.e2e", "value": "written by a reader"]))
        #expect(tagWrite.status == 403, "a READ user's set-tag: HTTP \(tagWrite.status) \(tagWrite.text)")
        #expect(try rest.modelTags(r.model)["gatewatch.e2e"] == nil)

        // EDIT → on-call: pauses, recorded as the authenticated user with the claimed name beside it; no promotion.
        let editorPause = try f.gatewatch(["pause"] + base + ["--operator", "admin"], extra: editor)
        #expect(editorPause.status == 0 && editorPause.stdout.contains("paused \(r.slug)"), "\(editorPause.stdout)\(editorPause.stderr)")
        let paused = try #require(try lastEvent())
        #expect(paused.kind == "pause" && paused.actor == name(editor) && paused.actorDisplay == "admin" && paused.role == "oncall", "\(paused.json)")
        let editorPromote = try f.gatewatch(["promote", "--override"] + base + ["--reason", "e2e"], extra: editor)
        #expect(editorPromote.status == 10 && editorPromote.stdout.contains("(needs owner)"), "\(editorPromote.stdout)\(editorPromote.stderr)")

        // MANAGE → owner: resumes.
        let managerResume = try f.gatewatch(["resume"] + base + ["--operator", "Someone Else"], extra: manager)
        #expect(managerResume.status == 0, "\(managerResume.stdout)\(managerResume.stderr)")
        let resumed = try #require(try lastEvent())
        #expect(resumed.kind == "resume" && resumed.actor == name(manager) && resumed.actorDisplay == "Someone Else" && resumed.role == "owner",
                "\(resumed.json)")

        // The dashboard, as each: the header says who and why; the keys do what the role allows.
        func dashboard(_ user: [String: String?]) throws -> TmuxSession {
            let s = try TmuxSession(arguments: [f.binary.path, "--config", config.path, "--refresh", "1"],
                                    environment: f.environment.merging(user) { $1 }.merging(["USER": "admin"]) { $1 }, width: 160, height: 48)
            // One release in this registry ("1 release"), each request checked against a password hash.
            #expect(s.waitUntil(timeout: 60) {
                let screen = s.capture()
                return screen.contains(r.slug) && !screen.contains("reading the") && !screen.contains("waiting for the first poll")
            }, "\(s.capture())")
            open(r.slug, in: s)
            #expect(s.waitFor(text: "\(r.slug)  \(r.model)", timeout: 20) || s.waitFor(text: r.slug, timeout: 5), "\(s.capture())")
            return s
        }
        do {
            let s = try dashboard(reader)
            defer { s.kill() }
            #expect(s.waitFor(text: "\(name(reader)) · reviewer (MLflow READ on \(r.model))", timeout: 20), "\(s.capture())")
            s.sendKeys("r")
            #expect(s.waitFor(text: "roll back — blocked: reviewer may not roll back (needs controller or oncall or owner)", timeout: 10)
                    || s.waitFor(text: "roll back — blocked: reviewer may not roll back", timeout: 1), "\(s.capture())")
            s.sendKeys("Space")
            #expect(s.waitFor(text: "pause — blocked: reviewer may not pause (needs oncall or owner)", timeout: 10), "\(s.capture())")
            #expect(!s.capture().contains("Pause \(r.slug)?"))
            s.sendKeys("q")
            #expect(s.exitStatus(timeout: 15) == 0, "\(s.capture())")
        }
        do {
            let s = try dashboard(editor)
            defer { s.kill() }
            #expect(s.waitFor(text: "\(name(editor)) · oncall (MLflow EDIT on \(r.model))", timeout: 20), "\(s.capture())")
            s.sendKeys("p")
            #expect(s.waitFor(text: "blocked: oncall may not promote (needs owner)", timeout: 10), "\(s.capture())")
            s.sendKeys("Space")
            #expect(s.waitFor(text: "Pause \(r.slug)?", timeout: 10), "\(s.capture())")
            s.sendKeys("Tab")
            #expect(s.waitFor(text: "[ Pause ]", timeout: 5), "\(s.capture())")
            s.sendKeys("Enter")
            #expect(s.waitFor(text: "paused \(r.slug)", timeout: 20), "\(s.capture())")
            s.sendKeys("q")
            #expect(s.exitStatus(timeout: 15) == 0, "\(s.capture())")
            let event = try #require(try lastEvent())
            #expect(event.kind == "pause" && event.actor == name(editor) && event.actorDisplay == nil && event.role == "oncall", "\(event.json)")
        }
        do {
            let s = try dashboard(manager)
            defer { s.kill() }
            #expect(s.waitFor(text: "\(name(manager)) · owner (MLflow MANAGE on \(r.model))", timeout: 20), "\(s.capture())")
            s.sendKeys("Space")
            #expect(s.waitFor(text: "Resume \(r.slug)?", timeout: 10), "\(s.capture())")
            s.sendKeys("Tab")
            #expect(s.waitFor(text: "[ Resume ]", timeout: 5), "\(s.capture())")
            s.sendKeys("Enter")
            #expect(s.waitFor(text: "resumed \(r.slug)", timeout: 20), "\(s.capture())")
            s.sendKeys("q")
            #expect(s.exitStatus(timeout: 15) == 0, "\(s.capture())")
            let event = try #require(try lastEvent())
            #expect(event.kind == "resume" && event.actor == name(manager) && event.role == "owner", "\(event.json)")
        }
        let events = try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug)
        print("identity on basic-auth MLflow: READ refused 3 actions and 1 direct tag write (HTTP \(tagWrite.status)); EDIT paused (CLI, dashboard),"
            + " refused promotion; MANAGE resumed (CLI, dashboard); \(events.count - eventsBefore) events, actors "
            + events.suffix(events.count - eventsBefore).map { "\($0.kind ?? "?") by \($0.actor ?? "?")/\($0.role ?? "?")" }.joined(separator: ", "))
    }
}
