import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The HTTPS side of a sandbox. kubectl (client-go) sends a kubeconfig's credentials — the bearer token included —
/// only to an `https://` server: over plain HTTP it sends no `Authorization` at all. So each sandbox makes, at start, a
/// throwaway certificate authority and a server certificate it signs for `127.0.0.1` and `localhost` (P-256, in
/// memory only), serves TLS with them, and puts the authority in the kubeconfig (`certificate-authority-data`), where
/// kubectl and Tutor's Python client verify the server against it.
///
/// Two certificates rather than one self-signed server certificate: strict verifiers (OpenSSL's X509_STRICT, which
/// Python 3.13 turns on) want a CA with critical basic constraints and a leaf with key identifiers, as a real
/// cluster's are.
struct TLSIdentity {
    /// The authority's certificate, PEM: what the kubeconfig trusts.
    let authorityPEM: String
    /// The server side of TLS, with the server certificate and the authority as its chain.
    let context: NIOSSLContext

    static func make(now: Date = Date()) throws -> TLSIdentity {
        let validity = (now.addingTimeInterval(-3600), now.addingTimeInterval(10 * 365 * 86400))
        let authorityKey = P256.Signing.PrivateKey()
        let authorityName = try DistinguishedName { CommonName("tk8s sandbox CA") }
        let authorityKeyID = SubjectKeyIdentifier(hash: Certificate.PublicKey(authorityKey.publicKey))
        let authority = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(authorityKey.publicKey),
            notValidBefore: validity.0, notValidAfter: validity.1, issuer: authorityName, subject: authorityName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                authorityKeyID
            },
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))

        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: validity.0, notValidAfter: validity.1, issuer: authorityName,
            subject: try DistinguishedName { CommonName("tk8s sandbox") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("localhost")])
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyID.keyIdentifier)
                SubjectKeyIdentifier(hash: Certificate.PublicKey(serverKey.publicKey))
            },
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))

        let chain = try [server, authority].map { try NIOSSLCertificate(bytes: Array($0.serializeAsPEM().pemString.utf8), format: .pem) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.pemRepresentation.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        return TLSIdentity(authorityPEM: try authority.serializeAsPEM().pemString, context: try NIOSSLContext(configuration: configuration))
    }
}
