package io.tern.remoting.protocol;

/** Language codes of the binary header (spec 1.8); JSON carries the names. Unknown values read as OTHER. */
public final class LanguageCode {
    public static final String JAVA = "JAVA";
    public static final String OTHER = "OTHER";
    private static final String[] NAMES = {"JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER",
        "HTTP", "GO", "PHP", "OMS", "RUST", "NODE_JS"};

    public static String name(byte code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : OTHER;
    }

    public static byte code(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return (byte) i;
            }
        }
        return 7;
    }

    private LanguageCode() {
    }
}
