import RTMP

/// One libFuzzer run (main.swift hands it to the driver): the input is an AMF0 command body as a
/// peer could send it.
///
/// Why these checks: the decoder is the first code that touches a hostile `connect` or `_result`, so
/// beyond "never traps" it must not silently change what it read. Whatever decodes must encode again
/// (keys and counts came from the wire, so they fit), to exactly as many bytes as were consumed (the
/// only rewrites are a boolean's non-zero byte and an ECMA array's advisory count, both fixed-size),
/// and decoding that encoding must give the same encoding back: a fixed point after one step.
/// Values are compared as bytes because `Double.nan != .nan` and `String` compares by canonical
/// equivalence, neither of which is what the wire carries.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAMF0(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    checkRoundTrip(input)
    // A tight depth limit reaches the limit checks on short inputs too; only typed errors may come out.
    _ = try? AMF0Decoder(maxDepth: 2, maxInputSize: 64).decodeValues(input[...])
    return 0
}

private func checkRoundTrip(_ input: [UInt8]) {
    let decoder = AMF0Decoder()
    let values: [AMF0Value]
    let rest: ArraySlice<UInt8>
    do {
        (values, rest) = try decoder.decodeValues(input[...])
    } catch {
        // decodeAll must fail too: it is decodeValues plus "nothing left over".
        if (try? decoder.decodeAll(input[...])) != nil {
            fatalError("decodeAll accepted what decodeValues rejected with \(error)")
        }
        return
    }
    let consumed = input.count - rest.count
    if !rest.isEmpty, values.last != .switchToAMF3 {
        fatalError("decodeValues stopped early without a switch-to-AMF3 marker")
    }
    let encoded: [UInt8]
    do {
        encoded = try AMF0Encoder.encode(values)
    } catch {
        fatalError("decoded values do not encode: \(error)")
    }
    if encoded.count != consumed {
        fatalError("re-encoding gave \(encoded.count) bytes for \(consumed) consumed")
    }
    let again: [AMF0Value]
    let restAgain: ArraySlice<UInt8>
    do {
        (again, restAgain) = try decoder.decodeValues(encoded[...])
    } catch {
        fatalError("the encoder's own bytes do not decode: \(error)")
    }
    guard restAgain.isEmpty, again.count == values.count else {
        fatalError("the round trip changed the value count: \(values.count) → \(again.count)")
    }
    guard let reencoded = try? AMF0Encoder.encode(again), reencoded == encoded else {
        fatalError("decode → encode is not a fixed point")
    }
}
