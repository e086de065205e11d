# Varnish in front of Newsroom (Debian: apt-get install varnish varnish-modules).
#
# - Anonymous readers get public pages from here; staff (a session cookie), the desk,
#   previews and anything but GET/HEAD go straight through to the application.
# - Each object is tagged with the application's surrogate keys (the `xkey` header)
#   and purged by key after commit: `PURGE /` with `xkey-purge: story-42 home …`
#   (the application always purges hard; `xkey-softpurge` is accepted for manual use).
#   Set NEWSROOM_PURGE_URLS=http://<this varnish>/ on the application. Concurrent
#   misses for one page wait for a single fetch (Varnish's request coalescing).
# - The lifetime comes from `Surrogate-Control: max-age=N` (bounded by the next
#   scheduled publication or expiry of anything the page shows); grace from its
#   `stale-while-revalidate`, absent when the schedule cut the lifetime short, so a
#   scheduled story is never shown late. Readers never see either header.
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

# Who may purge: the application servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        } elseif (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Give the keys in an xkey-purge header"));
        }
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview|health)/" || req.http.Authorization) {
        return (pass);
    }
    # Staff see fresh pages. A cookie that is not a valid staff session is only
    # passed on; the application's own page cache still answers it.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    unset req.http.Cookie;
    # Parameters no page reads split nothing (the application drops them too).
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|mc_[a-z]+)=") {
        set req.url = regsuball(req.url, "(?i)(utm_[a-z]+|fbclid|gclid|mc_[a-z]+)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || !beresp.http.Surrogate-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    set beresp.ttl = std.duration(
        regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1") + "s", 0s);
    if (beresp.http.Surrogate-Control ~ "stale-while-revalidate=") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Surrogate-Control,
                   "^.*stale-while-revalidate=([0-9]+).*$", "\1") + "s", 0s);
    } else {
        set beresp.grace = 0s;
    }
    # No built-in hit-for-miss for a page that lives under a second (the schedule is near).
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Surrogate-Control;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
