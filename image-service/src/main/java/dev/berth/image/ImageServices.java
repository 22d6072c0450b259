package dev.berth.image;

/** Makes the {@link ImageService}. */
public final class ImageServices {
    private ImageServices() {}

    /**
     * Opens (creating if needed) the store under {@code config.root()}, reloads image records,
     * and collects garbage left by a previous run.
     */
    public static ImageService open(ImageConfig config, PullListener listener) {
        return open(config, listener, Timing.SYSTEM);
    }

    static ImageService open(ImageConfig config, PullListener listener, Timing timing) {
        return DefaultImageService.open(config, listener, timing);
    }
}
