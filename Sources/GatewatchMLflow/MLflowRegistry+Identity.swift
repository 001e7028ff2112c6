import Foundation
import GatewatchCore
import GatewatchHTTP

/// Who the MLflow server authenticated and which role its permission on the release's registered model gives:
/// `GET /api/2.0/mlflow/users/current` (the user, and whether an admin) and
/// `GET /api/3.0/mlflow/users/permissions/get` (the permission the server itself resolves for that user on the model,
/// its `default_permission` included), both of MLflow's basic-auth app. A server without it (no such routes) proves
/// nobody: the identity is unverified and self-declared, as MLflow itself then lets anyone write anything.
extension MLflowRegistry {
    private struct CurrentUser: Decodable {
        struct User: Decodable { var username: String; var is_admin: Bool? }
        var user: User
    }
    private struct Permission: Decodable { var permission: String? }

    public func identity(release: String?) throws -> Identity {
        let connection = rest.connection
        let doing = "asking the MLflow server who you are"
        let answer: HTTPResponse
        do { answer = try connection.get(MLflowREST.apiPrefix + "/users/current") } catch { throw rest.errors.transport(error, doing: doing) }
        if answer.status == 404 {
            // No authentication on the server: anyone may write anything, so nothing here is proven.
            return Identity(name: SystemUser.current, role: .owner, source: "self-declared", verified: false,
                            note: "the MLflow server at \(options.displayURL) has no authentication (no basic-auth app): anyone can write to it, and the names in its audit log are what each client says")
        }
        guard (200..<300).contains(answer.status), !answer.isHTML,
              let current = try? JSONDecoder().decode(CurrentUser.self, from: answer.body) else {
            throw rest.errors.response(answer, endpoint: connection.url(MLflowREST.apiPrefix + "/users/current").absoluteString, doing: doing)
        }
        let name = current.user.username
        if current.user.is_admin == true {
            return Identity(name: name, role: .owner, source: "MLflow admin", verified: true)
        }
        guard let release, let model = try locate(release)?.model else {
            return Identity(name: name, role: nil, source: "no release to hold a permission on", verified: true)
        }
        let permissionPath = "/api/3.0/mlflow/users/permissions/get"
        let query = [URLQueryItem(name: "username", value: name), URLQueryItem(name: "resource_type", value: "registered_model"),
                     URLQueryItem(name: "resource_id", value: model)]
        let asked: HTTPResponse
        do { asked = try connection.get(permissionPath, query: query) } catch { throw rest.errors.transport(error, doing: "reading your permission on model '\(model)'") }
        guard (200..<300).contains(asked.status), !asked.isHTML,
              let permission = (try? JSONDecoder().decode(Permission.self, from: asked.body))?.permission else {
            throw rest.errors.response(asked, endpoint: connection.url(permissionPath, query: query).absoluteString,
                                       doing: "reading your permission on model '\(model)'")
        }
        let role = options.permissionRoles[permission]
        return Identity(name: name, role: role, source: "MLflow \(permission) on \(model)", verified: true,
                        note: role == nil ? "ask an admin of the MLflow server for READ, EDIT or MANAGE on '\(model)'" : nil)
    }
}
