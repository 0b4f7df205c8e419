package io.tern.common.message;

/** Bits of the PULL_MESSAGE request's sysFlag (spec 3.4.1). */
public final class PullSysFlag {
    public static final int COMMIT_OFFSET = 0x1;
    public static final int SUSPEND = 0x2;
    public static final int SUBSCRIPTION = 0x4;
    public static final int CLASS_FILTER = 0x8;
    public static final int LITE_PULL = 0x10;

    public static boolean has(int sysFlag, int bit) {
        return (sysFlag & bit) != 0;
    }

    private PullSysFlag() {
    }
}
