package io.pgha.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** SSL contexts from PEM files as patronictl's configuration names them (CA bundle, client certificate and key). */
final class TlsContexts {
    private TlsContexts() {}

    /** Null when the JVM's defaults do (no CA file, no client certificate, not insecure). */
    static SSLContext of(CtlConfig.Tls tls) {
        if (tls == null || tls.isDefault()) {
            return null;
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            TrustManager[] trust = null;
            if (tls.insecure()) {
                trust = new TrustManager[] {new TrustAll()};
            } else if (tls.cacert() != null) {
                KeyStore ks = emptyStore();
                int i = 0;
                for (Certificate c : certificates(tls.cacert())) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                trust = tmf.getTrustManagers();
            }
            KeyManagerFactory kmf = null;
            if (tls.certfile() != null) {
                List<Certificate> chain = certificates(tls.certfile());
                // the key may sit in the certificate file itself, as Patroni allows
                PrivateKey key = privateKey(tls.keyfile() != null ? tls.keyfile() : tls.certfile());
                KeyStore ks = emptyStore();
                ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new CtlException("cannot use the TLS files (" + describe(tls) + "): " + e.getMessage());
        }
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        return ks;
    }

    private static List<Certificate> certificates(String file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    /** An unencrypted PKCS#8 PEM key ("BEGIN PRIVATE KEY"), RSA or EC. */
    private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(Path.of(file));
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < 0) {
            throw new GeneralSecurityException(file + " holds no unencrypted PKCS#8 key; convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt -in " + file);
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported key type in " + file);
    }

    private static String describe(CtlConfig.Tls tls) {
        return String.join(", ", java.util.stream.Stream.of(tls.cacert(), tls.certfile(), tls.keyfile())
                .filter(java.util.Objects::nonNull).toList());
    }

    /** -k/--insecure: no certificate or host name checks (an extended manager, or the JDK adds host name checks). */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
