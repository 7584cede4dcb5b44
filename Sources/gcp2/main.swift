import Foundation
import GCP2CLI

exit(GCP2CLI.run(Array(CommandLine.arguments.dropFirst()), environment: .process))
