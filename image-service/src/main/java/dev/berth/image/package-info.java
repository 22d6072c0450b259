/**
 * Berth's image service: references, the OCI distribution client, the content store, layer
 * unpacking into overlay snapshots, and containers' rootfs leases. Knows nothing of CRI.
 *
 * <p>The public surface is {@link dev.berth.image.ImageService} (made by
 * {@link dev.berth.image.ImageServices}), its value records ({@code ImageRef}, {@code Image},
 * {@code PullOptions}, {@code RegistryAuth}, {@code Rootfs}, {@code FsUsage}, {@code GcResult},
 * {@code Digest}), {@code ImageConfig}, {@code PullListener}, {@code ImageException} and {@code UntrustedTar}; every
 * other class is package-private. A pull, in order: {@code ImageRef} → {@code HostsConfig}
 * (hosts.toml) → {@code RegistryClient}/{@code RegistryTransport} (auth, retries, redirects) →
 * {@code Puller} (dedup, parallel layers, {@code PullWatch}) → {@code LayerFetcher} (one pass:
 * network → digest check → decompress → diffID check → {@code TarHeaderGuard} →
 * {@code TarExtractor}) → {@code SnapshotStore} (one unpack per chain ID) → {@code ImageRecords}.
 */
package dev.berth.image;
