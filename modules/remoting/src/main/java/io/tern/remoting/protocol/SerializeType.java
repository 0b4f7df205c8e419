package io.tern.remoting.protocol;

/** Header codecs (spec 1.4, 1.5): the high byte of the frame's headerInfo. */
public final class SerializeType {
    public static final byte JSON = 0;
    public static final byte ROCKETMQ = 1;

    private SerializeType() {
    }
}
