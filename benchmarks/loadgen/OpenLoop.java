// The open-loop, fixed-rate load of benchmarks/gateway-overhead.sh (JDK only; compiled by the script with javac).
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Request i is due at start + i / rate and goes out on the next free one of CONNECTIONS keep-alive connections (a
 * thread each); its latency counts from its due time, so waiting for a connection counts too.
 * Args: URL RATE WARMUP_S DURATION_S CONNECTIONS HEADER-NAME HEADER-VALUE
 * Prints: achieved-rate p50-ms p99-ms p99.9-ms max-ms failed (non-2xx, errors, unanswered)
 */
public class OpenLoop {

    static final long NONE = Long.MIN_VALUE;

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int duration = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\n" + args[5] + ": " + args[6] + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int total = (int) (rate * (warmup + duration));
        int measuredFrom = (int) (rate * warmup);
        long[] latencies = new long[total];
        Arrays.fill(latencies, NONE);
        AtomicInteger failed = new AtomicInteger();
        BlockingQueue<long[]> due = new ArrayBlockingQueue<>(total + connections);
        Thread[] workers = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            workers[c] = new Thread(() -> work(uri, request, due, latencies, measuredFrom, failed));
            workers[c].setDaemon(true);
            workers[c].start();
        }
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long at = start + i * interval;
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            due.put(new long[] {i, at});
        }
        for (int c = 0; c < connections; c++) {
            due.put(new long[] {-1, 0});
        }
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        long measuredStart = start + measuredFrom * interval;
        long[] measured = Arrays.copyOfRange(latencies, measuredFrom, total);
        long lastDone = 0;
        int unanswered = 0;
        for (int i = 0; i < measured.length; i++) {
            if (measured[i] == NONE) {
                measured[i] = Long.MAX_VALUE;
                unanswered++;
            } else {
                lastDone = Math.max(lastDone, start + (measuredFrom + i) * interval + measured[i]);
            }
        }
        Arrays.sort(measured);
        double elapsed = Math.max(duration, (lastDone - measuredStart) / 1e9);
        System.out.printf("%.1f %.2f %.2f %.2f %.2f %d%n", (measured.length - unanswered) / elapsed,
                ms(measured, 0.50), ms(measured, 0.99), ms(measured, 0.999), ms(measured, 1.0),
                failed.get() + unanswered);
    }

    static double ms(long[] sorted, double quantile) {
        long v = sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1))];
        return v == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : v / 1e6;
    }

    static void work(URI uri, byte[] request, BlockingQueue<long[]> due, long[] latencies, int measuredFrom,
            AtomicInteger failed) {
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        while (true) {
            long[] next;
            try {
                next = due.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next[0] < 0) {
                return;
            }
            int status;
            try {
                if (socket == null) {
                    socket = new Socket(uri.getHost(), uri.getPort());
                    socket.setTcpNoDelay(true);
                    in = new BufferedInputStream(socket.getInputStream(), 16384);
                    out = socket.getOutputStream();
                }
                out.write(request);
                out.flush();
                status = readResponse(in);
                if (status < 0) { // the server ends keep-alive after this response (nginx: keepalive_requests)
                    status = -status;
                    socket.close();
                    socket = null;
                }
            } catch (IOException | RuntimeException e) {
                status = -1;
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException ignored) {
                    // already broken
                }
                socket = null;
            }
            latencies[(int) next[0]] = System.nanoTime() - next[1];
            if (status / 100 != 2 && next[0] >= measuredFrom) {
                failed.incrementAndGet();
            }
        }
    }

    /** Reads one response (Content-Length or chunked body): its status, negative when the server closes after it. */
    static int readResponse(InputStream in) throws IOException {
        int status = Integer.parseInt(line(in).split(" ")[1]);
        long length = 0;
        boolean chunked = false;
        boolean close = false;
        String header;
        while (!(header = line(in)).isEmpty()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (close) {
            status = -status;
        }
        if (!chunked) {
            skip(in, length);
            return status;
        }
        long size;
        while ((size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
            skip(in, size);
            line(in);
        }
        while (!line(in).isEmpty()) {
            continue; // trailers
        }
        return status;
    }

    static void skip(InputStream in, long bytes) throws IOException {
        while (bytes > 0) {
            long skipped = in.skip(bytes);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed");
                }
                skipped = 1;
            }
            bytes -= skipped;
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
