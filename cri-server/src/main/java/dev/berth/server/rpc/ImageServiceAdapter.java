package dev.berth.server.rpc;

import dev.berth.cri.api.v1.ImageServiceGrpc;

/**
 * The CRI ImageService. Until the image-service module lands, every RPC keeps the generated
 * default and answers UNIMPLEMENTED naming the method, so nothing pretends to pull.
 */
public final class ImageServiceAdapter extends ImageServiceGrpc.ImageServiceImplBase {}
