/// Bytes captured from real peers on loopback, committed as golden vectors.
///
/// How they were obtained: nginx 1.x with libnginx-mod-rtmp (`application live { live on; }`) listened
/// on 127.0.0.1:19351; a small Python relay on 127.0.0.1:19352 forwarded both directions and wrote
/// each to a file; `ffmpeg -loglevel debug -i rtmp://127.0.0.1:19352/live/x -t 1 -f null -` connected
/// through it. ffmpeg logged "Server version 13.14.10.13" and nginx logged
/// `connect: app='live' … flashver='LNX 9,0,124,2' … tc_url='rtmp://127.0.0.1:19352/live'
/// … acodecs=4071 vcodecs=252 object_encoding=0`. The vectors are the bytes right after the handshake
/// (client: after C0+C1+C2, 3073 bytes; server: after S0+S1+S2, 3073 bytes).
enum CapturedVectors {
    /// ffmpeg's first chunks: `connect` (197-byte body, chunk size 128, so one type 3 continuation).
    static let ffmpegConnect = hex("""
        03 00 00 00 00 00 C5 14 00 00 00 00 02 00 07 63 6F 6E 6E 65 63 74 00 3F
        F0 00 00 00 00 00 00 03 00 03 61 70 70 02 00 04 6C 69 76 65 00 08 66 6C
        61 73 68 56 65 72 02 00 0D 4C 4E 58 20 39 2C 30 2C 31 32 34 2C 32 00 05
        74 63 55 72 6C 02 00 1B 72 74 6D 70 3A 2F 2F 31 32 37 2E 30 2E 30 2E 31
        3A 31 39 33 35 32 2F 6C 69 76 65 00 04 66 70 61 64 01 00 00 0C 63 61 70
        61 62 69 6C 69 74 69 65 73 00 40 2E 00 00 00 00 00 00 00 0B C3 61 75 64
        69 6F 43 6F 64 65 63 73 00 40 AF CE 00 00 00 00 00 00 0B 76 69 64 65 6F
        43 6F 64 65 63 73 00 40 6F 80 00 00 00 00 00 00 0D 76 69 64 65 6F 46 75
        6E 63 74 69 6F 6E 00 3F F0 00 00 00 00 00 00 00 00 09
        """)

    /// nginx-rtmp's answer to that connect: Window Ack Size 5 000 000, Set Peer Bandwidth 5 000 000
    /// dynamic, Set Chunk Size 4096, `_result` (fmsVer FMS/3,0,1,123, capabilities 31, objectEncoding 0).
    static let nginxConnectReply = hex("""
        02 00 00 00 00 00 04 05 00 00 00 00 00 4C 4B 40 02 00 00 00 00 00 05 06
        00 00 00 00 00 4C 4B 40 02 02 00 00 00 00 00 04 01 00 00 00 00 00 00 10
        00 03 00 00 00 00 00 BE 14 00 00 00 00 02 00 07 5F 72 65 73 75 6C 74 00
        3F F0 00 00 00 00 00 00 03 00 06 66 6D 73 56 65 72 02 00 0D 46 4D 53 2F
        33 2C 30 2C 31 2C 31 32 33 00 0C 63 61 70 61 62 69 6C 69 74 69 65 73 00
        40 3F 00 00 00 00 00 00 00 00 09 03 00 05 6C 65 76 65 6C 02 00 06 73 74
        61 74 75 73 00 04 63 6F 64 65 02 00 1D 4E 65 74 43 6F 6E 6E 65 63 74 69
        6F 6E 2E 43 6F 6E 6E 65 63 74 2E 53 75 63 63 65 73 73 00 0B 64 65 73 63
        72 69 70 74 69 6F 6E 02 00 15 43 6F 6E 6E 65 63 74 69 6F 6E 20 73 75 63
        63 65 65 64 65 64 2E 00 0E 6F 62 6A 65 63 74 45 6E 63 6F 64 69 6E 67 00
        00 00 00 00 00 00 00 00 00 00 09
        """)

    /// What ffmpeg sent next, after reading nginx's reply: Window Ack Size 5 000 000 (its answer to
    /// Set Peer Bandwidth), then `createStream` (txn 2) with a type 1 header on chunk stream 3.
    static let ffmpegAfterResult = hex("""
        02 00 00 00 00 00 04 05 00 00 00 00 00 4C 4B 40
        43 00 00 00 00 00 19 14 02 00 0C 63 72 65 61 74 65 53 74 72 65 61 6D 00 40 00 00 00 00 00 00 00 05
        """)

    /// rtmpdump 2.4 (librtmp) playing `rtmp://127.0.0.1:19372/live/x` from this module's server
    /// session (relayed the same way; `rtmpdump -r … -v -m 1 -o /dev/null` printed "INFO: Connected..."
    /// and "Starting Live Stream"): everything after its plain C0+C1+C2 — connect (flashVer
    /// "LNX 10,0,32,18", audioCodecs 3191), Window Ack Size, Set Buffer Length, createStream (txn 2),
    /// FCSubscribe (txn 3), _checkbw (txn 4, its answer to onBWDone), play "x" on stream 1, Set Buffer
    /// Length, deleteStream (txn 6).
    static let librtmpSession = hex("""
        03 00 00 00 00 00 C6 14 00 00 00 00 02 00 07 63 6F 6E 6E 65 63 74 00 3F
        F0 00 00 00 00 00 00 03 00 03 61 70 70 02 00 04 6C 69 76 65 00 08 66 6C
        61 73 68 56 65 72 02 00 0E 4C 4E 58 20 31 30 2C 30 2C 33 32 2C 31 38 00
        05 74 63 55 72 6C 02 00 1B 72 74 6D 70 3A 2F 2F 31 32 37 2E 30 2E 30 2E
        31 3A 31 39 33 37 32 2F 6C 69 76 65 00 04 66 70 61 64 01 00 00 0C 63 61
        70 61 62 69 6C 69 74 69 65 73 00 40 2E 00 00 00 00 00 00 00 C3 0B 61 75
        64 69 6F 43 6F 64 65 63 73 00 40 A8 EE 00 00 00 00 00 00 0B 76 69 64 65
        6F 43 6F 64 65 63 73 00 40 6F 80 00 00 00 00 00 00 0D 76 69 64 65 6F 46
        75 6E 63 74 69 6F 6E 00 3F F0 00 00 00 00 00 00 00 00 09 02 00 00 00 00
        00 04 05 00 00 00 00 00 4C 4B 40 42 00 00 00 00 00 0A 04 00 03 00 00 00
        00 00 00 01 2C 43 00 00 00 00 00 19 14 02 00 0C 63 72 65 61 74 65 53 74
        72 65 61 6D 00 40 00 00 00 00 00 00 00 05 43 00 00 00 00 00 1C 14 02 00
        0B 46 43 53 75 62 73 63 72 69 62 65 00 40 08 00 00 00 00 00 00 05 02 00
        01 78 03 00 00 00 00 00 15 14 00 00 00 00 02 00 08 5F 63 68 65 63 6B 62
        77 00 40 10 00 00 00 00 00 00 05 08 00 00 00 00 00 1E 14 01 00 00 00 02
        00 04 70 6C 61 79 00 40 14 00 00 00 00 00 00 05 02 00 01 78 00 C0 8F 40
        00 00 00 00 00 C2 00 03 00 00 00 01 02 25 51 00 43 00 00 00 00 00 22 14
        02 00 0C 64 65 6C 65 74 65 53 74 72 65 61 6D 00 40 18 00 00 00 00 00 00
        05 00 3F F0 00 00 00 00 00 00
        """)

    /// ffmpeg's `-listen 1` server answering this module's client session (relayed the same way):
    /// Window Ack Size 2 500 000, Set Peer Bandwidth 2 500 000 dynamic, StreamBegin 0, Set Chunk Size
    /// 128, `_result` (objectEncoding 0), `onBWDone` (txn 0, null, 8192).
    static let ffmpegServerReply = hex("""
        02 00 00 00 00 00 04 05 00 00 00 00 00 26 25 A0 42 00 00 00 00 00 05 06
        00 26 25 A0 02 42 00 00 00 00 00 06 04 00 00 00 00 00 00 42 00 00 00 00
        00 04 01 00 00 00 80 03 00 00 00 00 00 BE 14 00 00 00 00 02 00 07 5F 72
        65 73 75 6C 74 00 3F F0 00 00 00 00 00 00 03 00 06 66 6D 73 56 65 72 02
        00 0D 46 4D 53 2F 33 2C 30 2C 31 2C 31 32 33 00 0C 63 61 70 61 62 69 6C
        69 74 69 65 73 00 40 3F 00 00 00 00 00 00 00 00 09 03 00 05 6C 65 76 65
        6C 02 00 06 73 74 61 74 75 73 00 04 63 6F 64 65 02 00 1D 4E 65 74 43 6F
        6E 6E 65 63 74 69 6F 6E 2E 43 6F 6E 6E 65 63 74 2E 53 75 63 63 65 73 73
        00 0B 64 C3 65 73 63 72 69 70 74 69 6F 6E 02 00 15 43 6F 6E 6E 65 63 74
        69 6F 6E 20 73 75 63 63 65 65 64 65 64 2E 00 0E 6F 62 6A 65 63 74 45 6E
        63 6F 64 69 6E 67 00 00 00 00 00 00 00 00 00 00 00 09 43 00 00 00 00 00
        1E 14 02 00 08 6F 6E 42 57 44 6F 6E 65 00 00 00 00 00 00 00 00 00 05 00
        40 C0 00 00 00 00 00 00
        """)
}
