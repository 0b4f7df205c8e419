package io.tern.remoting.acl;

/**
 * Permission bits of RocketMQ's plain ACL, as {@code acl.yaml} writes them: {@code DENY}, {@code PUB}, {@code SUB},
 * {@code PUB|SUB} (or {@code SUB|PUB}). Anything else, a missing value included, reads as DENY, as in RocketMQ.
 */
public final class Permission {
    public static final byte DENY = 1;
    /** Needed by a request that may either publish or subscribe. */
    public static final byte ANY = 1 << 1;
    public static final byte PUB = 1 << 2;
    public static final byte SUB = 1 << 3;

    private Permission() {
    }

    /** The bits a permission string stands for; null, empty and unknown strings are DENY. */
    public static byte parse(String text) {
        if (text == null) {
            return DENY;
        }
        return switch (text.trim()) {
            case "PUB" -> PUB;
            case "SUB" -> SUB;
            case "PUB|SUB", "SUB|PUB" -> PUB | SUB;
            default -> DENY;
        };
    }

    /** Whether {@code text} is one of the permission strings (so that a typo is not silently a DENY). */
    public static boolean isValid(String text) {
        return text != null && (parse(text) != DENY || text.trim().equals("DENY"));
    }

    /** Whether {@code owned} grants {@code needed}: never when owned has DENY; ANY is granted by PUB or SUB. */
    public static boolean grants(byte owned, byte needed) {
        if ((owned & DENY) != 0) {
            return false;
        }
        if ((needed & ANY) != 0) {
            return (owned & (PUB | SUB)) != 0;
        }
        return (needed & owned) != 0;
    }

    /** "PUB", "SUB", "PUB|SUB" or "DENY", for remarks. */
    public static String name(byte perm) {
        if ((perm & DENY) != 0) {
            return "DENY";
        }
        boolean pub = (perm & PUB) != 0;
        boolean sub = (perm & SUB) != 0;
        return pub && sub ? "PUB|SUB" : pub ? "PUB" : sub ? "SUB" : (perm & ANY) != 0 ? "PUB or SUB" : "DENY";
    }
}
