/// The simulated network: a virtual clock, a TCP model, links, a firewall and proxies.
///
/// Deterministic from a seed: nothing here reads the wall clock or global randomness.
package enum NetSim {}
