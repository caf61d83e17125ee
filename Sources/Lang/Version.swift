/// The tk8s version, shown by `tk8s --version`.
public let tk8sVersion = "0.1.0"
