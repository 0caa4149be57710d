/// Real sockets on SwiftNIO, driving the same RTMP and connector state machines as the simulation.
package enum LiveNet {}
