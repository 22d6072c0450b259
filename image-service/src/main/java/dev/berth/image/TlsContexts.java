package dev.berth.image;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** The SSLContext for a registry host: the JDK's trust store plus its {@code ca} files, or none when skip_verify. */
final class TlsContexts {
    private TlsContexts() {}

    static SSLContext forHost(RegistryHost host) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (host.skipVerify()) {
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            return ctx;
        }
        if (host.caFiles().isEmpty()) {
            return SSLContext.getDefault();
        }
        ctx.init(null, trustManagers(host.caFiles()), new SecureRandom());
        return ctx;
    }

    private static TrustManager[] trustManagers(List<Path> caFiles) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        // keep the system CAs too, as containerd adds ca files to the system pool
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        int n = 0;
        for (TrustManager tm : system.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    store.setCertificateEntry("system-" + n++, c);
                }
            }
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (Path file : caFiles) {
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate c : cf.generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + n++, c);
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    /**
     * skip_verify: the operator chose to trust this host's certificate whatever it is, its name
     * included (containerd's InsecureSkipVerify). An X509ExtendedTrustManager, because the JDK wraps
     * a plain X509TrustManager in one that still checks the host name.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
