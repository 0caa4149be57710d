/// What a scenario's player says of itself in `connect`, on every network: a Windows Flash Player 10,
/// the client of the seed discussion's measurements (the server logs it; nothing decides on it).
package enum PlayerIdentity {
    package static let flashVer = "WIN 10,0,32,18"
}
