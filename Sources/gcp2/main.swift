print("gcp2")
