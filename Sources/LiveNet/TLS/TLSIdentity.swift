import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The certificate chain and private key the live server terminates TLS with (RTMPS), and the
/// SHA-256 fingerprint of its leaf that `serve` prints so a player's operator can pin or compare it.
///
/// Either loaded from PEM files (`serve --certificate/--key`) or made at start: a fresh self-signed
/// certificate, so that RTMPS works out of the box without shipping a private key in the repository
/// (a shipped key would be the same for everyone who runs the lab, and expire). A self-signed
/// certificate is trusted by nobody's system store: a client is given it (`connect --ca-file`, the
/// live player of a scenario run) or told not to verify (`--insecure`, ffmpeg's default).
package struct TLSIdentity: Sendable {
    /// Leaf first, as the server sends it.
    package let certificateChain: [NIOSSLCertificate]
    package let privateKey: NIOSSLPrivateKey
    /// The leaf certificate in PEM, for clients that should trust exactly this server (a CA file).
    package let leafPEM: String
    /// SHA-256 of the leaf's DER bytes, upper-case hex pairs joined by colons, as `openssl x509
    /// -fingerprint -sha256` and browsers print it.
    package let fingerprint: String
    /// Where the identity came from, for the listening line: `self-signed for localhost, 127.0.0.1`
    /// or the certificate file's path.
    package let origin: String

    /// How long a generated certificate is valid. A day either side of now: `serve` runs for a
    /// session, and a clock a little off on the client's side must not make it "not yet valid".
    static let validity: TimeInterval = 24 * 60 * 60

    /// A new P-256 key and a self-signed certificate for `names` (host names and IPv4/IPv6 literals,
    /// each a subject alternative name; the first is the common name too).
    ///
    /// P-256 with ECDSA-SHA256, because every TLS stack a player uses accepts it and a key is made
    /// in microseconds, unlike RSA's prime search. The certificate says it is not a CA and is for
    /// server authentication only: a client that trusts it trusts this server, and no chain through
    /// it (a verifier refuses a non-CA issuer of any other certificate).
    package static func selfSigned(names: [String]) throws(TLSIdentityError) -> TLSIdentity {
        precondition(!names.isEmpty, "TLSIdentity.selfSigned: a certificate names at least one host")
        let key = P256.Signing.PrivateKey()
        let signingKey = Certificate.PrivateKey(key)
        let now = Date()
        do {
            let name = try DistinguishedName {
                CommonName(names[0])
                OrganizationName("FallbackLab (self-signed)")
            }
            let alternatives = SubjectAlternativeNames(names.map(Self.generalName))
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                // keyCertSign too: a self-signed certificate signs itself, and BoringSSL refuses
                // it as its own issuer (so as a client's trust anchor) without that bit.
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                alternatives
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: signingKey.publicKey,
                notValidBefore: now - validity, notValidAfter: now + validity, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: signingKey)
            let document = try certificate.serializeAsPEM()
            return TLSIdentity(
                certificateChain: [try NIOSSLCertificate(bytes: document.derBytes, format: .der)],
                privateKey: try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der),
                leafPEM: document.pemString + "\n", leafDER: document.derBytes,
                origin: "self-signed for " + names.joined(separator: ", "))
        } catch {
            throw .generation("\(error)")
        }
    }

    /// The chain of `certificatePath` (PEM, leaf first) and the key of `keyPath` (PEM), checked
    /// against each other now, so that a wrong pair is a usage error at start rather than a failed
    /// handshake on the first player's connection.
    package static func load(certificatePath: String, keyPath: String) throws(TLSIdentityError) -> TLSIdentity {
        guard FileManager.default.isReadableFile(atPath: certificatePath) else {
            throw .unreadable(flag: "--certificate", path: certificatePath)
        }
        guard FileManager.default.isReadableFile(atPath: keyPath) else {
            throw .unreadable(flag: "--key", path: keyPath)
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw .notPEM(flag: "--certificate", path: certificatePath, what: "a PEM certificate")
        }
        guard let leaf = chain.first else {
            throw .notPEM(flag: "--certificate", path: certificatePath, what: "a PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw .notPEM(flag: "--key", path: keyPath, what: "a PEM private key (unencrypted)")
        }
        let leafDER: [UInt8]
        do {
            leafDER = try leaf.toDERBytes()
        } catch {
            throw .notPEM(flag: "--certificate", path: certificatePath, what: "a PEM certificate")
        }
        let identity = TLSIdentity(
            certificateChain: chain, privateKey: key,
            leafPEM: PEMDocument(type: "CERTIFICATE", derBytes: leafDER).pemString + "\n", leafDER: leafDER,
            origin: certificatePath)
        do {
            _ = try identity.serverContext()
        } catch {
            throw .mismatch(certificatePath: certificatePath, keyPath: keyPath)
        }
        return identity
    }

    private init(
        certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey, leafPEM: String, leafDER: [UInt8],
        origin: String
    ) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.leafPEM = leafPEM
        self.fingerprint = SHA256.hash(data: leafDER).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 0x10 ? "0" + hex : hex
        }.joined(separator: ":")
        self.origin = origin
    }

    /// The server side's TLS context: BoringSSL's defaults (TLS 1.2 and 1.3, its cipher list), which
    /// is what a current server negotiates with ffmpeg, OBS or a browser.
    ///
    /// BoringSSL checks that the key belongs to the leaf when the context is made.
    package func serverContext() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        return try NIOSSLContext(configuration: configuration)
    }

    /// A subject alternative name: an IP literal as its address bytes (which is what a client
    /// connecting to `127.0.0.1` matches), anything else as a DNS name.
    private static func generalName(_ name: String) -> GeneralName {
        if let address = addressBytes(name) {
            return .ipAddress(ASN1OctetString(contentBytes: address[...]))
        }
        return .dnsName(name)
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 literal; nil for a host name.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
