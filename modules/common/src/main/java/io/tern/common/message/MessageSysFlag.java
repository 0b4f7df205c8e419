package io.tern.common.message;

/** Bits of a stored message's sysFlag (spec 5.3.1). */
public final class MessageSysFlag {
    public static final int COMPRESSED = 0x1;
    public static final int MULTI_TAGS = 0x2;
    public static final int TRANSACTION_NOT_TYPE = 0;
    public static final int TRANSACTION_PREPARED_TYPE = 0x1 << 2;
    public static final int TRANSACTION_COMMIT_TYPE = 0x2 << 2;
    public static final int TRANSACTION_ROLLBACK_TYPE = 0x3 << 2;
    public static final int BORNHOST_V6 = 0x1 << 4;
    public static final int STOREHOST_V6 = 0x1 << 5;

    public static int transactionType(int sysFlag) {
        return sysFlag & TRANSACTION_ROLLBACK_TYPE;
    }

    public static int withTransactionType(int sysFlag, int type) {
        return (sysFlag & ~TRANSACTION_ROLLBACK_TYPE) | type;
    }

    private MessageSysFlag() {
    }
}
