#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (Fuzz/Corpus/<target>/) from scratch, deterministically.

The seeds are the shapes a fuzzer would take long to find by itself: the bytes ffmpeg and nginx-rtmp
really exchange (the captured vectors of Tests/RTMPTests/CapturedVectors.swift), one AMF0 value of
each marker, chunk headers of every format with extended timestamps, handshakes with the right
sizes, and the project's own scenario files. Run it again after changing it; the output is the same
for the same script. Each file is named after what it holds.
"""
import os
import pathlib
import shutil
import struct

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "Corpus"


def hexbytes(text):
    return bytes.fromhex(" ".join(text.split()))


# Captured on loopback between ffmpeg and nginx-rtmp (see CapturedVectors.swift for how).
FFMPEG_CONNECT = hexbytes("""
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
NGINX_CONNECT_REPLY = hexbytes("""
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
FFMPEG_AFTER_RESULT = hexbytes("""
02 00 00 00 00 00 04 05 00 00 00 00 00 4C 4B 40
43 00 00 00 00 00 19 14 02 00 0C 63 72 65 61 74 65 53 74 72 65 61 6D 00 40 00 00 00 00 00 00 00 05
""")


# AMF0 -----------------------------------------------------------------------------------------

def amf_string(s):
    b = s.encode()
    return b"\x02" + struct.pack(">H", len(b)) + b


def amf_number(n):
    return b"\x00" + struct.pack(">d", n)


def amf_props(pairs):
    out = b""
    for key, value in pairs:
        k = key.encode()
        out += struct.pack(">H", len(k)) + k + value
    return out + b"\x00\x00\x09"


def amf0_seeds():
    connect_body = FFMPEG_CONNECT[12:12 + 128] + FFMPEG_CONNECT[12 + 128 + 1:]
    result_body = NGINX_CONNECT_REPLY[12 * 3 + 4 + 5 + 4 + 12:]
    return {
        "ffmpeg-connect": connect_body,
        "nginx-result": result_body,
        "create-stream": FFMPEG_AFTER_RESULT[16 + 8:],
        "number-boolean-null-undefined": amf_number(1.5) + b"\x01\x01" + b"\x05\x06",
        "long-string": b"\x0C" + struct.pack(">I", 5) + b"hello",
        "ecma-array": b"\x08" + struct.pack(">I", 2) + amf_props([("a", amf_number(1)), ("b", amf_string("x"))]),
        "strict-array": b"\x0A" + struct.pack(">I", 3) + amf_number(1) + b"\x05" + amf_string("z"),
        "nested-objects": b"\x03" + amf_props([("o", b"\x03" + amf_props([("p", b"\x03" + amf_props([]))]))]),
        "empty-key": b"\x03" + amf_props([("", amf_number(2))]),
        "date-reference": b"\x0B" + struct.pack(">dh", 1.7e12, -60) + b"\x07\x00\x01",
        "switch-to-amf3": amf_string("onStatus") + b"\x11\x0A\x0B\x01",
        "redirect-error": amf_string("_error") + amf_number(1) + b"\x05" + b"\x03" + amf_props([
            ("level", amf_string("error")), ("code", amf_string("NetConnection.Connect.Rejected")),
            ("ex", b"\x03" + amf_props([("code", amf_number(302)), ("redirect", amf_string("rtmp://b/live"))])),
        ]),
    }


# Chunk stream ---------------------------------------------------------------------------------

def chunk_seeds():
    # Extended timestamp on a type 0 header, repeated on the type 3 continuation (ffmpeg, nginx).
    body = bytes(range(200))
    ext0 = b"\x04" + b"\xFF\xFF\xFF" + struct.pack(">I", len(body))[1:] + b"\x09" + struct.pack("<I", 1)
    ext0 += struct.pack(">I", 0x01000000) + body[:128] + b"\xC4" + struct.pack(">I", 0x01000000) + body[128:]
    # The same without the repeat (librtmp).
    ext0_librtmp = ext0[:12 + 4 + 128] + b"\xC4" + body[128:]
    # Type 1 and type 2 headers, a type 3 new message, 2- and 3-byte basic headers, Abort.
    formats = (b"\x05" + b"\x00\x00\x10" + b"\x00\x00\x02" + b"\x08" + b"\x01\x00\x00\x00" + b"ab"
               + b"\x45" + b"\x00\x00\x20" + b"\x00\x00\x03" + b"\x09" + b"xyz"
               + b"\x85" + b"\x00\x00\x05" + b"uvw"
               + b"\xC5" + b"rst"
               + b"\x00\x00" + b"\x00\x00\x00" + b"\x00\x00\x01" + b"\x12" + b"\x00\x00\x00\x00" + b"!"
               + b"\x01\x10\x27" + b"\x00\x00\x00" + b"\x00\x00\x00" + b"\x12" + b"\x00\x00\x00\x00"
               + b"\x06" + b"\x00\x00\x00" + b"\x00\x01\x00" + b"\x09" + b"\x00\x00\x00\x00" + bytes(128)
               + b"\x02" + b"\x00\x00\x00" + b"\x00\x00\x04" + b"\x02" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x06")
    set_chunk_size = b"\x02" + b"\x00\x00\x00" + b"\x00\x00\x04" + b"\x01" + bytes(4) + struct.pack(">I", 16)
    return {
        "ffmpeg-connect": b"\x00" + FFMPEG_CONNECT,
        "ffmpeg-connect-split-7": b"\x70" + FFMPEG_CONNECT,
        "nginx-connect-reply": b"\x00" + NGINX_CONNECT_REPLY,
        "ffmpeg-after-result": b"\x08" + FFMPEG_CONNECT + FFMPEG_AFTER_RESULT,
        "extended-timestamp-detect": b"\x00" + ext0,
        "extended-timestamp-always": b"\x01" + ext0,
        "extended-timestamp-librtmp": b"\x02" + ext0_librtmp,
        "extended-timestamp-librtmp-detect": b"\x00" + ext0_librtmp,
        "header-formats-abort": b"\x00" + formats,
        "small-limits": b"\x04" + set_chunk_size + FFMPEG_CONNECT[:12] + FFMPEG_CONNECT[12:28],
    }


# Handshake ------------------------------------------------------------------------------------

def handshake_seeds():
    c1 = struct.pack(">I", 0) + bytes(4) + bytes((i * 7 + 3) % 256 for i in range(1528))
    s1 = struct.pack(">I", 9) + bytes(4) + bytes((i * 13 + 1) % 256 for i in range(1528))
    return {
        # 0: the input is a client; 1: a server; 2/3: a genuine exchange, XOR mask (plain / digest).
        "server-plain-c0c1": b"\x00\x03" + c1,
        "server-plain-full-with-connect": b"\x30\x03" + c1 + s1 + FFMPEG_CONNECT[:40],
        "server-rtmpe": b"\x00\x06" + c1,
        "client-plain-s0s1s2": b"\x01\x03" + s1 + c1,
        "client-digest-with-leftover": b"\x55\x03" + s1 + c1 + NGINX_CONNECT_REPLY[:16],
        "exchange-plain": b"\x02",
        "exchange-digest": b"\x06",
        "exchange-digest-mask": b"\x06" + bytes(20) + b"\x01",
    }


# Sessions -------------------------------------------------------------------------------------

def chunked(body, csid=3, type_id=0x14, chunk_size=128):
    """One message in chunks: a type 0 header, then type 3 continuations."""
    out = bytes([csid]) + bytes(3) + struct.pack(">I", len(body))[1:] + bytes([type_id]) + bytes(4)
    out += body[:chunk_size]
    for i in range(chunk_size, len(body), chunk_size):
        out += bytes([0xC0 | csid]) + body[i:i + chunk_size]
    return out


def session_seeds():
    c0c1 = b"\x03" + struct.pack(">I", 0) + bytes(4) + bytes((i * 7 + 3) % 256 for i in range(1528))
    c2 = bytes((i * 11 + 5) % 256 for i in range(1536))
    s0s1s2 = b"\x03" + struct.pack(">I", 9) + bytes(4) + bytes((i * 13 + 1) % 256 for i in range(1528)) + c0c1[1:]
    client = c0c1 + c2 + FFMPEG_CONNECT + FFMPEG_AFTER_RESULT
    play = chunked(amf_string("play") + amf_number(4) + b"\x05" + amf_string("live"), csid=8)
    amf = amf0_seeds()
    seeds = {
        # Bit 0 clear: our server reads a client; bits 1-3 pick the behaviour.
        "server-accept": b"\x00" + client + play,
        "server-reject": b"\x02" + client,
        "server-redirect": b"\x04" + client,
        "server-silent": b"\x06" + client,
        "server-close-after-handshake": b"\x08" + client,
        "server-think-time": b"\x3A" + client + play,
        "server-split": b"\xF0" + client,
        # Bit 0 set: our client reads a server.
        "client-accepted": b"\x01" + s0s1s2 + NGINX_CONNECT_REPLY,
        "client-redirected": b"\x21" + s0s1s2 + chunked(amf["redirect-error"]),
        "client-closed-early": b"\x01" + s0s1s2[:2000],
    }
    return seeds


# RTMPT ----------------------------------------------------------------------------------------

def http_request(path, body=b"", extra=b""):
    return (b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1:80\r\nUser-Agent: Shockwave Flash\r\n"
            b"Content-Type: application/x-fcs\r\n" + extra
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def http_response(status, body=b"", extra=b""):
    return (b"HTTP/1.1 " + status + b"\r\nContent-Type: application/x-fcs\r\n" + extra
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def rtmpt_seeds():
    sid = b"SSSSSSSSSSSSSSSS"  # the harness puts the last opened session's id here
    c0c1 = b"\x03" + bytes(8) + bytes((i * 7 + 3) % 256 for i in range(1528))
    flow = (http_request(b"/fcs/ident2", b"\x00") + http_request(b"/open/1", b"\x00")
            + http_request(b"/send/" + sid + b"/1", c0c1) + http_request(b"/idle/" + sid + b"/2", b"\x00")
            + http_request(b"/close/" + sid + b"/3", b"\x00"))
    return {
        # bit 1 clear: the parser alone; bit 0 picks requests (0) or responses (1).
        "requests-open-send": b"\x00" + http_request(b"/open/1", b"\x00") + http_request(b"/send/ABC/2", b"xyz"),
        "requests-pipelined-split": b"\x50" + flow,
        "request-get-absolute-form": b"\x00GET http://host:80/idle/x/1 HTTP/1.1\r\nHost: host\r\n\r\n",
        "request-chunked": b"\x00" + http_request(b"/send/x/1", b"", b"Transfer-Encoding: chunked\r\n"),
        "request-http10": b"\x00POST /open/1 HTTP/1.0\r\n\r\n",
        "request-small-limits": b"\x04" + http_request(b"/send/x/1", bytes(250)),
        "responses-ok": b"\x01" + http_response(b"200 OK", b"0123456789ABCDEF\n") + http_response(b"200 OK", b"\x01"),
        "response-proxy-error-chunked": b"\x01HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nerror\r\n0\r\n\r\n",
        "response-proxy-error-close": b"\x01HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n<html>denied</html>",
        "response-204-no-reason": b"\x01HTTP/1.1 204\r\n\r\n",
        # bit 1 set: the whole server tunnel.
        "tunnel-flow": b"\x02" + flow,
        "tunnel-flow-split-closing": b"\x73" + flow,
        "tunnel-broken-header": b"\x02" + http_request(b"/open/1", b"\x00") + b"POST /idle/x/1 HTTP/1.1\r\nBad Header\r\n\r\n",
        "tunnel-get": b"\x02GET /open/1 HTTP/1.1\r\n\r\n",
        # bit 3 set: the client tunnel reads the input as the server's replies.
        "client-tunnel-open-data-close": b"\x08" + http_response(b"200 OK", b"0123456789ABCDEF\n")
        + http_response(b"200 OK", b"\x01" + bytes(range(40))) + http_response(b"200 OK", b"\x05")
        + http_response(b"200 OK", b"\x00"),
        "client-tunnel-split": b"\x58" + http_response(b"200 OK", b"0123456789ABCDEF\n")
        + http_response(b"200 OK", b"\x01") + http_response(b"200 OK", b"\x01\x02\x00\x00\x00"),
        "client-tunnel-proxy-502": b"\x08HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n<html/>",
        "client-tunnel-bad-id": b"\x08" + http_response(b"200 OK", b"a/b\n"),
    }


def write(target, seeds):
    directory = CORPUS / target
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name, data in sorted(seeds.items()):
        (directory / name).write_bytes(data)


def main():
    write("amf0", amf0_seeds())
    write("chunk", chunk_seeds())
    write("handshake", handshake_seeds())
    write("session", session_seeds())
    write("rtmpt", rtmpt_seeds())
    repo = ROOT.parent
    scenarios = {}
    for folder, prefix in ((repo / "Scenarios", ""), (repo / "Tests/LabTests/Fixtures/Invalid", "invalid-")):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            scenarios[prefix + path.stem] = path.read_bytes()
    write("scenario", scenarios)
    for target in sorted(os.listdir(CORPUS)):
        print(f"{target}: {len(os.listdir(CORPUS / target))} seeds")


if __name__ == "__main__":
    main()
