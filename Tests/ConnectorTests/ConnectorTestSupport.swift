import Testing
@testable import Connector
