package io.tern.common.message;

/** Tag codes stored in consume-queue entries (spec 5.5): Java {@code String.hashCode()} of the tag. */
public final class TagCodes {
    public static long of(String tags) {
        return tags == null || tags.isEmpty() ? 0L : tags.hashCode();
    }

    private TagCodes() {
    }
}
