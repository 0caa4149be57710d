import Testing
import NetSim
import RunCore

@Suite("Virtual clock and event queue")
struct SimEventLoopTests {
    @Test("tasks run in (time, insertion) order and now is set to each task's instant")
    func ordering() {
        let loop = SimEventLoop()
        var log: [(String, SimTime)] = []
        loop.schedule(after: .milliseconds(20)) { log.append(("b", loop.now)) }
        loop.schedule(after: .milliseconds(10)) { log.append(("a", loop.now)) }
        loop.schedule(after: .milliseconds(20)) { log.append(("c", loop.now)) }
        #expect(loop.run() == .idle)
        #expect(log.map(\.0) == ["a", "b", "c"])
        #expect(log.map(\.1) == [ms(10), ms(20), ms(20)])
    }

    @Test("work scheduled for the current instant runs in the same batch, after the running task")
    func sameInstant() {
        let loop = SimEventLoop()
        var log: [String] = []
        loop.schedule(after: .milliseconds(5)) {
            log.append("first")
            loop.schedule(after: .zero) { log.append("nested") }
        }
        loop.schedule(after: .milliseconds(5)) { log.append("second") }
        loop.run()
        #expect(log == ["first", "second", "nested"])
        #expect(loop.now == ms(5))
    }

    @Test("advance runs what is due at N and nothing at N-1")
    func advance() {
        let loop = SimEventLoop()
        var fired = false
        loop.schedule(after: .milliseconds(250)) { fired = true }
        #expect(loop.advance(by: .milliseconds(249)) == .reachedTimeLimit)
        #expect(!fired)
        #expect(loop.now == ms(249))
        loop.advance(by: .milliseconds(1))
        #expect(fired)
        #expect(loop.now == ms(250))
    }

    @Test("a cancelled task never runs; time never moves backwards")
    func cancellation() {
        let loop = SimEventLoop()
        var ran: [Int] = []
        let handle = loop.schedule(after: .seconds(1)) { ran.append(1) }
        loop.schedule(after: .seconds(2)) { ran.append(2) }
        loop.cancel(handle)
        loop.run()
        #expect(ran == [2])
        loop.schedule(at: .zero) { ran.append(3) }
        loop.run()
        #expect(ran == [2, 3])
        #expect(loop.now == SimTime(.seconds(2)))
    }

    @Test("the task budget bounds a run that never settles")
    func budget() {
        let loop = SimEventLoop()
        func again() { loop.schedule(after: .milliseconds(1)) { again() } }
        again()
        #expect(loop.run(maxTasks: 100) == .reachedTaskLimit)
        #expect(loop.tasksRun == 100)
    }
}

@Suite("Seeded random generator")
struct SimRandomTests {
    @Test("same seed, same stream; different seeds, different streams")
    func determinism() {
        var a = SimRandom(seed: 42)
        var b = SimRandom(seed: 42)
        var c = SimRandom(seed: 43)
        let sa = (0..<8).map { _ in a.next() }
        let sb = (0..<8).map { _ in b.next() }
        let sc = (0..<8).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
    }

    @Test("xoshiro256** seeded by SplitMix64(0) matches the reference implementations")
    func knownValues() {
        // SplitMix64(0) gives the state {E220A8397B1DCDAF, 6E789E6AA1B965F4, 06C45D188009454F,
        // F88BB8A8724C81EC}; these are xoshiro256**'s first three outputs from it (Vigna's C code).
        var random = SimRandom(seed: 0)
        #expect(random.next() == 0x99EC_5F36_CB75_F2B4)
        #expect(random.next() == 0xBF6E_1F78_4956_452A)
        #expect(random.next() == 0x1A5F_849D_4933_E6E0)
    }

    @Test("uniform draws stay in [0, 1) and average near 1/2; normal draws average near 0 with sd 1")
    func distributions() {
        var random = SimRandom(seed: 9)
        var sum = 0.0
        for _ in 0..<20_000 {
            let u = random.nextUnit()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        #expect(abs(sum / 20_000 - 0.5) < 0.01)
        var total = 0.0
        var squares = 0.0
        for _ in 0..<20_000 {
            let n = random.nextStandardNormal()
            total += n
            squares += n * n
        }
        let mean = total / 20_000
        #expect(abs(mean) < 0.03)
        #expect(abs((squares / 20_000 - mean * mean).squareRoot() - 1) < 0.03)
    }
}
