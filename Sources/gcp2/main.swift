import GCP2CLI

GCP2CLI.main()
