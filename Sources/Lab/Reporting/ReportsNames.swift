import Reports

// The Reports module names some of its input types like the connector's and the simulator's own
// (`AttemptEnding`, `AttemptPhase`, `ServerCost`, `IPv4Address`), and its namespace enum `Reports`
// hides the module name, so `Reports.ServerCost` does not resolve. This file imports Reports alone,
// where the plain names are unambiguous, and gives them names the mapping code can use.
typealias ReportAttemptEnding = AttemptEnding
typealias ReportAttemptPhase = AttemptPhase
typealias ReportServerCost = ServerCost
typealias ReportIPv4Address = IPv4Address
