package io.spikewatch.generator;

/**
 * A well-known search or SEO crawler: steady traffic all day (crawlers do not sleep), at most 30
 * req/min, from one address. Present so that a detector learns that a steady busy IP is not a spike.
 */
final class CrawlerBot {
    enum Kind {
        GOOGLEBOT("US", 24, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        BINGBOT("US", 14, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
        AHREFSBOT("SG", 18, "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"),
        SEMRUSHBOT("US", 9, "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"),
        YANDEXBOT("RU", 6, "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"),
        APPLEBOT("US", 4, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)");

        final String country;
        /** Requests per minute at the default 20 req/s; scaled down for smaller sites. */
        final double ratePerMinute;
        final String userAgent;

        Kind(String country, double ratePerMinute, String userAgent) {
            this.country = country;
            this.ratePerMinute = ratePerMinute;
            this.userAgent = userAgent;
        }
    }

    final Kind kind;
    final Client client;

    CrawlerBot(Kind kind, Client client) {
        this.kind = kind;
        this.client = client;
    }
}
