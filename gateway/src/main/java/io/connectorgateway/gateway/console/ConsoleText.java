package io.connectorgateway.gateway.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The console's words in one language ({@code console/messages*.properties}, UTF-8), labels taken
 * from the admin guides. The language is the {@value #COOKIE} cookie's when set (the switch link),
 * else the best of Accept-Language, else English.
 */
public final class ConsoleText {
    public static final String COOKIE = "cgw_lang";
    public static final List<String> LANGUAGES = List.of("en", "ja");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final String lang;
    private final ResourceBundle bundle;

    private ConsoleText(String lang) {
        this.lang = lang;
        this.bundle = ResourceBundle.getBundle("console.messages", lang.equals("en") ? Locale.ROOT : Locale.forLanguageTag(lang),
                NO_FALLBACK);
    }

    private static final ConsoleText EN = new ConsoleText("en");
    private static final ConsoleText JA = new ConsoleText("ja");

    public static ConsoleText of(String lang) {
        return "ja".equals(lang) ? JA : EN;
    }

    /** The language for {@code request}: the switch cookie, else Accept-Language, else English. */
    public static ConsoleText of(HttpRequest<?> request) {
        String chosen = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        if (chosen != null && LANGUAGES.contains(chosen)) {
            return of(chosen);
        }
        String accept = request.getHeaders().get("Accept-Language");
        if (accept != null && accept.length() <= 512) {
            try {
                String best = Locale.lookupTag(Locale.LanguageRange.parse(accept), LANGUAGES);
                if (best != null) {
                    return of(best);
                }
            } catch (IllegalArgumentException e) {
                // a malformed header: the default language
            }
        }
        return EN;
    }

    public String lang() {
        return lang;
    }

    /** The other language, which the switch link offers. */
    public String other() {
        return lang.equals("ja") ? "en" : "ja";
    }

    /** The text for {@code key}; the key itself when missing, so a gap shows instead of failing a page. */
    public String t(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    /** The text for {@code key} with {@code {0}}, {@code {1}}, ... filled in. */
    public String f(String key, Object... args) {
        return new MessageFormat(t(key), lang.equals("ja") ? Locale.JAPANESE : Locale.ENGLISH).format(args);
    }
}
