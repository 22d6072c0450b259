package dev.berth.server.observe;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;
import java.util.Collections;
import java.util.List;

/**
 * The JVM's own metrics (memory, GC, threads, classes), set up at the first scrape: they need
 * JMX, which costs the daemon about a second of start-up and several MiB that a node that is
 * never scraped should not pay.
 */
final class JvmCollectors extends Collector {
    private volatile CollectorRegistry jvm;

    @Override
    public List<MetricFamilySamples> collect() {
        return Collections.list(registry().metricFamilySamples());
    }

    private CollectorRegistry registry() {
        CollectorRegistry current = jvm;
        if (current == null) {
            synchronized (this) {
                current = jvm;
                if (current == null) {
                    current = new CollectorRegistry(true);
                    DefaultExports.register(current);
                    jvm = current;
                }
            }
        }
        return current;
    }
}
