package io.tern.bench.report;

/**
 * Replaces the generated part of a Markdown document, between
 * {@code <!-- bench:results:begin -->} and {@code <!-- bench:results:end -->}, leaving the
 * hand-written text around it alone.
 */
public final class DocsSection {

  public static final String BEGIN = "<!-- bench:results:begin -->";
  public static final String END = "<!-- bench:results:end -->";

  private DocsSection() {
  }

  /** The document with the section's content replaced; appends the section if it has none. */
  public static String replace(String document, String content) {
    String section = BEGIN + "\n" + content.strip() + "\n" + END;
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    if (begin < 0 || end < begin) {
      return document.stripTrailing() + "\n\n" + section + "\n";
    }
    return document.substring(0, begin) + section + document.substring(end + END.length());
  }
}
