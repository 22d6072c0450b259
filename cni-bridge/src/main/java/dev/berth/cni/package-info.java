/**
 * Pod networking for Berth: network namespaces and a CNI client (spec 1.1, with 0.3.x-1.0
 * configs). Knows nothing of CRI.
 *
 * <p>The seam is {@link dev.berth.cni.PodNetwork}, made by {@link dev.berth.cni.PodNetworks#create}
 * from a {@link dev.berth.cni.CniConfig}; the rest of the public types are values. The daemon
 * maps its {@code [cni]} config keys onto {@code CniConfig} and reports
 * {@link dev.berth.cni.PodNetwork#status()} as CRI {@code NetworkReady}.
 *
 * <p>Pod CIDRs: the daemon hands kubelet's to {@link dev.berth.cni.PodNetwork#usePodCidrs} and keeps
 * them in a {@link dev.berth.cni.PodCidrFile} to hand them over again after a restart.
 *
 * <p>Host-network pods: the caller does not call {@code setUp}/{@code tearDown} for them at all;
 * they need neither a namespace nor CNI, and {@code NetworkReady=false} must not block them.
 *
 * <p>On disk: one pin per pod in {@code netnsDir} (a bind mount of the namespace on an empty
 * file) and one JSON file per attachment in {@code cacheDir}. On start the daemon should call
 * {@link dev.berth.cni.PodNetwork#gc} with the pod ids it knows, so pins and attachments of pods
 * that vanished while it was down are torn down.
 */
package dev.berth.cni;
