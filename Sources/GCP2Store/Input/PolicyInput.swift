import Foundation
import GCP2Core

extension Store {
    /// Reads a policy file given to `init`: strict JSON, known keys with their defaults for missing ones, every
    /// number checked.
    public static func readPolicy(_ data: Data, file: String) throws(StoreError) -> Policy {
        try checkStrictJSON(data, file: file)
        let policy: Policy
        do {
            policy = try JSONDecoder().decode(Policy.self, from: data)
        } catch {
            throw .invalid(file: file, issues: [Issue(decodingError: error)])
        }
        let issues = policy.validate(at: "")
        if !issues.isEmpty { throw .invalid(file: file, issues: issues) }
        return policy
    }
}
