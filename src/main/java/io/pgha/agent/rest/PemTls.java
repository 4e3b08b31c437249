package io.pgha.agent.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material from the PEM files Patroni's configuration names (restapi.certfile, keyfile, cafile). Keys in
 * PKCS#8 form ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with keyfile_password), RSA or EC; the older
 * "RSA PRIVATE KEY" / "EC PRIVATE KEY" forms are refused with the openssl command that converts them.
 */
public final class PemTls {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private PemTls() {}

    /** A server context: our certificate chain and key, and (when a CA is given) trust in client certificates. */
    public static SSLContext serverContext(Path certFile, Path keyFile, String keyPassword, Path caFile) throws IOException {
        try {
            Collection<? extends Certificate> chain = certificates(certFile);
            if (chain.isEmpty()) {
                throw new IOException(certFile + " holds no certificate");
            }
            PrivateKey key = privateKey(keyFile, keyPassword);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("rest", key, pw, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), caFile == null ? null : trustManagers(caFile), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** A client context that trusts the certificates in {@code caFile}. */
    public static SSLContext clientContext(Path caFile) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers(caFile), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (Certificate c : certificates(caFile)) {
            ts.setCertificateEntry("ca" + i++, c);
        }
        if (i == 0) {
            throw new IOException(caFile + " holds no certificate");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        StringBuilder pem = new StringBuilder();
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                pem.append(m.group()).append('\n');
            }
        }
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    static PrivateKey privateKey(Path file, String password) throws IOException, GeneralSecurityException {
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new IOException(file + ": the key is encrypted: set restapi.keyfile_password");
                    }
                    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
                    // for PBES2 (openssl's default) the parameters name the real scheme, e.g. PBEWithHmacSHA256AndAES_256
                    String alg = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
                    javax.crypto.SecretKey k = SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(password.toCharArray()));
                    javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(alg);
                    cipher.init(javax.crypto.Cipher.DECRYPT_MODE, k, info.getAlgParameters());
                    return pkcs8(info.getKeySpec(cipher).getEncoded());
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + ": a " + type
                        + " is not supported; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                default -> { }
            }
        }
        throw new IOException(file + " holds no private key");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException notThisOne) {
                // PKCS#8 names the algorithm inside; trying the three key types pgha accepts is simpler than parsing it
            }
        }
        throw new InvalidKeySpecException("not an RSA, EC or Ed25519 key");
    }

}
