package qp.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The server side of {@code wss://}: an SSLContext from a PKCS12 key store. */
public final class Tls {
    private Tls() {
    }

    public static SSLContext serverContext(Path keyStore, String password) throws IOException, GeneralSecurityException {
        if (password == null) {
            throw new IllegalArgumentException("--tls-keystore " + keyStore + " needs its password in env QP_TLS_PASSWORD");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
