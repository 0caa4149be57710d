import NetSim

// The simulator's `IPv4Address` clashes with the report model's; this file imports NetSim alone so the
// plain name is unambiguous here.
typealias SimIPv4Address = IPv4Address
