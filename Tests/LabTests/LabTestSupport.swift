import Testing
@testable import Lab
