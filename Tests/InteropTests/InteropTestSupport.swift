import Testing
@testable import LiveNet
