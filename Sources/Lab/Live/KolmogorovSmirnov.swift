import Foundation

/// The two-sample Kolmogorov–Smirnov test: are two samples of times to connect drawn from the same
/// distribution? `calibrate` asks it of a lossy or jittery scenario's simulated and live runs,
/// where run-by-run comparison means nothing (the two networks lose different packets).
///
/// The statistic D is the largest gap between the two empirical distribution functions; the p-value
/// is the asymptotic Kolmogorov distribution with Stephens' small-sample correction
/// (`λ = (√nₑ + 0.12 + 0.11/√nₑ)·D`, nₑ = n·m/(n+m)), as Numerical Recipes' `kstwo` computes it. It
/// is a few lines of textbook arithmetic, not worth a statistics package on every CI run.
struct KolmogorovSmirnov: Sendable, Hashable {
    /// sup |F₁(x) − F₂(x)|, in [0, 1].
    var statistic: Double
    /// The probability of a gap at least this large if both samples came from one distribution.
    var pValue: Double

    /// Compares `first` and `second` (neither empty).
    init(_ first: [Double], _ second: [Double]) {
        precondition(!first.isEmpty && !second.isEmpty, "Kolmogorov–Smirnov needs two non-empty samples")
        let a = first.sorted()
        let b = second.sorted()
        var i = 0
        var j = 0
        var gap = 0.0
        while i < a.count, j < b.count {
            // Step past every value equal to the smaller one, in both samples, before comparing: ties
            // between the samples move both functions at once.
            let value = min(a[i], b[j])
            while i < a.count, a[i] == value { i += 1 }
            while j < b.count, b[j] == value { j += 1 }
            gap = max(gap, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        statistic = gap
        let effective = Double(a.count * b.count) / Double(a.count + b.count)
        let root = effective.squareRoot()
        pValue = Self.kolmogorovTail((root + 0.12 + 0.11 / root) * gap)
    }

    /// Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}: the probability that the Kolmogorov statistic exceeds λ.
    static func kolmogorovTail(_ lambda: Double) -> Double {
        // The series converges too slowly to be summed below this; Q is 1 to double precision there.
        guard lambda > 0.2 else { return 1 }
        var sum = 0.0
        var sign = 1.0
        for k in 1...100 {
            let term = sign * exp(-2 * Double(k * k) * lambda * lambda)
            sum += term
            if abs(term) < 1e-12 * abs(sum) { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }
}
