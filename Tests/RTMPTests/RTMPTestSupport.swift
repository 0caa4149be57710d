import Testing
@testable import RTMP
