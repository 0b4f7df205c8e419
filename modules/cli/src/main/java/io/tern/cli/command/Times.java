package io.tern.cli.command;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Time stamps as the CLI prints and reads them. */
final class Times {
    private static final DateTimeFormatter PRINTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private Times() {
    }

    /** Local date-time, or "-" for 0 / negative (no message). */
    static String format(long epochMs) {
        if (epochMs <= 0) {
            return "-";
        }
        return PRINTED.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneId.systemDefault()));
    }

    /** "now", epoch milliseconds, or an ISO local date-time like 2026-11-21T12:00:00; null when malformed. */
    static Long parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("now")) {
            return System.currentTimeMillis();
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException ignored) {
            // try a date
        }
        try {
            return LocalDateTime.parse(t).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
