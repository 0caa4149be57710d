import Foundation
import Testing
import TestSupport

import LiveNet

/// The server's certificate: made at start, or read from PEM files with errors that name the flag
/// and the file.
@Suite("TLS identity: self-signed or loaded")
struct TLSIdentityTests {
    @Test func aSelfSignedIdentityHasAFingerprintAndAPEMLeaf() throws {
        let identity = try TLSIdentity.selfSigned(names: ["localhost", "127.0.0.1"])
        #expect(identity.certificateChain.count == 1)
        #expect(identity.origin == "self-signed for localhost, 127.0.0.1")
        // 32 bytes as upper-case hex pairs joined by colons.
        let pairs = identity.fingerprint.split(separator: ":")
        #expect(pairs.count == 32 && pairs.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) })
        #expect(identity.fingerprint == identity.fingerprint.uppercased())
        #expect(identity.leafPEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(identity.leafPEM.hasSuffix("-----END CERTIFICATE-----\n"))
        // A fresh key each time: two identities never share a certificate.
        #expect(try TLSIdentity.selfSigned(names: ["localhost"]).fingerprint != identity.fingerprint)
    }

    @Test func missingFilesAreNamedWithTheirFlag() throws {
        let folder = try TemporaryFolder()
        let certificate = folder.path("leaf.pem")
        try TLSIdentity.selfSigned(names: ["localhost"]).leafPEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        #expect(throws: TLSIdentityError.unreadable(flag: "--certificate", path: folder.path("none.pem"))) {
            try TLSIdentity.load(certificatePath: folder.path("none.pem"), keyPath: certificate)
        }
        #expect(throws: TLSIdentityError.unreadable(flag: "--key", path: folder.path("none.key"))) {
            try TLSIdentity.load(certificatePath: certificate, keyPath: folder.path("none.key"))
        }
    }

    @Test func filesThatAreNotPEMAreRefused() throws {
        let folder = try TemporaryFolder()
        let garbage = folder.path("garbage.pem")
        try "not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let certificate = folder.path("leaf.pem")
        try TLSIdentity.selfSigned(names: ["localhost"]).leafPEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        #expect(throws: TLSIdentityError.notPEM(flag: "--certificate", path: garbage, what: "a PEM certificate")) {
            try TLSIdentity.load(certificatePath: garbage, keyPath: garbage)
        }
        // A certificate is not a key.
        #expect(throws: TLSIdentityError.notPEM(flag: "--key", path: certificate, what: "a PEM private key (unencrypted)")) {
            try TLSIdentity.load(certificatePath: certificate, keyPath: certificate)
        }
    }
}
