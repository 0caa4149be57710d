import Testing
@testable import NetSim
