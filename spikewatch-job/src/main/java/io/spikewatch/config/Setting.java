package io.spikewatch.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration setting: its key, its default (as text, the way it is written in a job profile),
 * what it means, and how its text is parsed into a {@code T}. Every setting of the job is listed
 * once in {@link Settings}; values are read through {@link ConfigValues#get(Setting)}, whose parse
 * errors name the key.
 *
 * <p>Settings hold no secrets: a password or an AWS key is never a setting (only where to find it).
 *
 * @param <T> the parsed type; optional settings parse an empty text to {@code null}
 */
public final class Setting<T> {
    private final String key;
    private final String defaultText;
    private final String description;
    private final Function<String, T> parser;

    private Setting(String key, String defaultText, String description, Function<String, T> parser) {
        this.key = Objects.requireNonNull(key);
        this.defaultText = Objects.requireNonNull(defaultText);
        this.description = Objects.requireNonNull(description);
        this.parser = Objects.requireNonNull(parser);
    }

    /**
     * A setting with its own parser. {@code parser} gets the trimmed text and throws
     * {@link IllegalArgumentException} with what is expected; {@link #parse} adds the key.
     */
    public static <T> Setting<T> of(String key, String defaultText, String description, Function<String, T> parser) {
        return new Setting<>(key, defaultText, description, parser);
    }

    /** Free text, trimmed. */
    public static Setting<String> text(String key, String defaultText, String description) {
        return of(key, defaultText, description, s -> s);
    }

    public static Setting<Integer> integer(String key, String defaultText, String description) {
        return of(key, defaultText, description, Setting::parseInt);
    }

    /** A whole number, or null when empty (the component's own default applies). */
    public static Setting<Integer> optionalInteger(String key, String description) {
        return of(key, "", description, s -> s.isEmpty() ? null : parseInt(s));
    }

    public static Setting<Double> number(String key, String defaultText, String description) {
        return of(key, defaultText, description, s -> {
            try {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("is not a number");
        });
    }

    public static Setting<Boolean> bool(String key, String defaultText, String description) {
        return of(key, defaultText, description, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        });
    }

    /** A duration like {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} ({@link DurationText}). */
    public static Setting<Duration> duration(String key, String defaultText, String description) {
        return of(key, defaultText, description, Setting::parseDuration);
    }

    /** A duration, or null when empty (the component's own default applies). */
    public static Setting<Duration> optionalDuration(String key, String description) {
        return of(key, "", description, s -> s.isEmpty() ? null : parseDuration(s));
    }

    /** Comma-separated values, trimmed, empty items dropped. */
    public static Setting<List<String>> list(String key, String defaultText, String description) {
        return of(key, defaultText, description,
                s -> s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
    }

    public String key() {
        return key;
    }

    /** The default as it would be written in a profile ("" for none). */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /**
     * Parses {@code text} (null: the default).
     *
     * @throws ConfigException naming the key and the text when it does not parse
     */
    public T parse(String text) {
        String s = (text == null ? defaultText : text).trim();
        try {
            return parser.apply(s);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": '" + s + "' " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return key;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a whole number");
        }
    }

    private static Duration parseDuration(String s) {
        try {
            return DurationText.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a duration (use e.g. 500ms, 30s, 5m, 2h, 7d)");
        }
    }
}
