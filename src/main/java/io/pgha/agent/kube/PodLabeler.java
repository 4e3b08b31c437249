package io.pgha.agent.kube;

import io.pgha.contract.PodContract;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's own pod labelled with its role ({@code pgha.io/role=primary|replica}, which the -primary
 * and -replicas Services select on) and annotated with its member status. One merge patch per change, sent
 * from a background thread so the HA loop never waits for the Kubernetes API; only the latest state is sent,
 * and a failed patch is retried until it lands. The agent owns these two keys (field manager "pgha-agent");
 * the operator never writes them.
 */
public final class PodLabeler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodLabeler.class);
    private static final long RETRY_MILLIS = 2000;

    /** What the pod should show. */
    public record PodState(String role, String statusJson) {}

    private final PodIdentity pod;
    private final String log;
    private final HttpClient http;
    private final AtomicReference<PodState> wanted = new AtomicReference<>();
    private final Thread worker;
    private volatile boolean running = true;
    private PodState sent;

    public PodLabeler(PodIdentity pod, String logPrefix) {
        this.pod = pod;
        this.log = logPrefix;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
        if (pod.caFile() != null) {
            b.sslContext(trusting(pod));
        }
        this.http = b.build();
        this.worker = new Thread(this::loop, "pgha-pod-labeler");
        worker.setDaemon(true);
        worker.start();
    }

    /** Asks for the pod to show this state; returns at once. */
    public void publish(String role, String statusJson) {
        PodState next = new PodState(role, statusJson);
        if (!next.equals(wanted.getAndSet(next))) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Waits until what was last published has been applied (for tests and an orderly shutdown). */
    public boolean awaitApplied(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!Objects.equals(sent, wanted.get())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void loop() {
        while (running) {
            PodState target = wanted.get();
            boolean ok = true;
            if (target != null && !target.equals(sent)) {
                ok = patch(target);
                if (ok) {
                    synchronized (this) {
                        sent = target;
                        notifyAll();
                    }
                }
            }
            synchronized (this) {
                try {
                    if (running && (Objects.equals(sent, wanted.get()) || !ok)) {
                        wait(ok ? 0 : RETRY_MILLIS); // woken by publish(); a failed patch is retried later
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private boolean patch(PodState s) {
        String body = "{\"metadata\":{\"labels\":{\"" + PodContract.ROLE_LABEL + "\":\"" + s.role() + "\"},"
                + "\"annotations\":{\"" + PodContract.STATUS_ANNOTATION + "\":" + jsonString(s.statusJson()) + "}}}";
        try {
            String token = pod.tokenFile() != null && Files.exists(pod.tokenFile())
                    ? Files.readString(pod.tokenFile(), StandardCharsets.UTF_8).trim() : null; // rotated by kubelet: read each time
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(pod.apiUrl() + "/api/v1/namespaces/" + pod.namespace()
                            + "/pods/" + pod.podName() + "?fieldManager=pgha-agent"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                r.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() / 100 != 2) {
                LOG.warn("{}could not label pod {}/{}: HTTP {} {}", log, pod.namespace(), pod.podName(), resp.statusCode(),
                        resp.body().length() > 200 ? resp.body().substring(0, 200) : resp.body());
                return false;
            }
            LOG.info("{}pod {}/{} labelled {}={}", log, pod.namespace(), pod.podName(), PodContract.ROLE_LABEL, s.role());
            return true;
        } catch (IOException e) {
            LOG.warn("{}could not label pod {}/{}: {}", log, pod.namespace(), pod.podName(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String jsonString(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString(); // quoted and escaped as JSON
    }

    private static SSLContext trusting(PodIdentity pod) {
        try (InputStream in = Files.newInputStream(pod.caFile())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the Kubernetes CA in " + pod.caFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
    }
}
