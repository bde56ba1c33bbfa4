"""The rooms' web pages over HTTP (aiohttp, in the bot's process and event loop): routes, the token, caching
headers, and what robots and browsers are told. The pages themselves come from handlers/pages (`Site`).

    /robots.txt                          everything disallowed
    /p/<token>/                          the room's home
    /p/<token>/minutes/[?page=N]         the minutes, by date          /p/<token>/minutes/<n>   one meeting
    /p/<token>/digests/[?page=N]         the weekly digests            /p/<token>/digests/<2026-W48>
    /p/<token>/calendar.ics              the calendar (also webcal://)  /p/<token>/feed.atom     the feed

An unknown or revoked token, pages turned off, a meeting or week that does not exist: 404 with a page saying so,
the same for every case (a token cannot be probed). A failure is logged and answered 500 with a short page, never
a traceback. Every answer carries an ETag (a hash of the body) and a Last-Modified (when this body was first
served); a calendar app polling with If-None-Match / If-Modified-Since gets 304 and no body.
"""
from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web

from handlers.pages.site import NotFound, Page, Site

log = logging.getLogger(__name__)

ROBOTS = b"User-agent: *\nDisallow: /\n"
# No script, no frame, no form, nothing from elsewhere; links to other sites carry no Referer (the address is a
# secret: it must not leak to the sites the pages link to).
SECURITY_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    # Revalidated every time (the ETag makes that cheap), and never kept by a shared cache.
    "Cache-Control": "private, no-cache",
}
SEEN_KEPT = 10_000  # paths whose first-served time is remembered (for Last-Modified)
MAX_NUMBER_DIGITS = 9


def parse_listen(listen: str) -> tuple[str, int]:
    """"127.0.0.1:8080" / "[::1]:8080" / ":8080" → (host, port); ValueError when it is not one."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(listen)
    return host.strip("[]") or "0.0.0.0", int(port)


class WebServer:
    def __init__(self, site: Site, listen: str) -> None:
        self.site = site
        self.host, self.port = parse_listen(listen)
        self._runner: web.AppRunner | None = None
        self._seen: OrderedDict[str, tuple[str, datetime]] = OrderedDict()  # path -> (etag, first served)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._errors])
        r = app.router
        r.add_get("/robots.txt", self._robots)
        r.add_get("/p/{token}", self._slash)
        r.add_get("/p/{token}/", self._page(lambda q, t: self.site.home(t)))
        r.add_get("/p/{token}/minutes", self._slash)
        r.add_get("/p/{token}/minutes/", self._page(lambda q, t: self.site.minutes_index(t, _page_of(q))))
        r.add_get("/p/{token}/minutes/{number}", self._page(lambda q, t: self.site.minutes(t, _number(q))))
        r.add_get("/p/{token}/digests", self._slash)
        r.add_get("/p/{token}/digests/", self._page(lambda q, t: self.site.digests_index(t, _page_of(q))))
        r.add_get("/p/{token}/digests/{week}", self._page(lambda q, t: self.site.digest(t, q.match_info["week"])))
        r.add_get("/p/{token}/calendar.ics", self._page(lambda q, t: self.site.calendar(t)))
        r.add_get("/p/{token}/feed.atom", self._page(lambda q, t: self.site.feed(t)))
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app(), access_log=None)  # the token is in every path: not logged
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        if sockets:  # port 0: the one the system chose
            self.port = sockets[0].getsockname()[1]
        log.info("web pages served on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- handlers

    async def _robots(self, request: web.Request) -> web.Response:
        return self._answer(request, Page(ROBOTS, "text/plain; charset=utf-8"))

    async def _slash(self, request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(request.path.rsplit("/", 1)[-1] + "/", headers=SECURITY_HEADERS)

    def _page(self, render: Callable[[web.Request, str], Awaitable[Page]]):
        async def handle(request: web.Request) -> web.Response:
            try:
                page = await render(request, request.match_info["token"])
            except NotFound:
                return self._not_found()
            return self._answer(request, page)

        return handle

    @web.middleware
    async def _errors(self, request: web.Request, handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return self._not_found()
        except web.HTTPException:
            raise
        except Exception:
            log.exception("web page %s failed", _without_token(request.path))
            return web.Response(status=500, body=self.site.error().body, content_type="text/html", charset="utf-8",
                                headers=SECURITY_HEADERS)

    def _not_found(self) -> web.Response:
        return web.Response(status=404, body=self.site.not_found().body, content_type="text/html", charset="utf-8",
                            headers=SECURITY_HEADERS)

    def _answer(self, request: web.Request, page: Page) -> web.Response:
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:32] + '"'
        modified = self._modified(request.path, etag)
        headers = {**SECURITY_HEADERS, "ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
        if _not_modified(request, etag, modified):
            return web.Response(status=304, headers=headers)
        content_type, _, charset = page.content_type.partition("; charset=")
        return web.Response(body=page.body, content_type=content_type, charset=charset or None, headers=headers)

    def _modified(self, path: str, etag: str) -> datetime:
        """When this body was first served at this path (to the second, as HTTP dates go)."""
        seen = self._seen.get(path)
        if seen is None or seen[0] != etag:
            seen = (etag, datetime.now(timezone.utc).replace(microsecond=0))
            self._seen[path] = seen
            if len(self._seen) > SEEN_KEPT:
                self._seen.popitem(last=False)
        self._seen.move_to_end(path)
        return seen[1]


def _not_modified(request: web.Request, etag: str, modified: datetime) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:  # takes precedence over If-Modified-Since (RFC 9110 13.2.2)
        return match.strip() == "*" or etag in [m.strip().removeprefix("W/") for m in match.split(",")]
    since = request.headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        return modified <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def _page_of(request: web.Request) -> int:
    text = request.query.get("page", "1")
    if not text.isdigit() or len(text) > 6:
        raise NotFound
    return int(text)


def _number(request: web.Request) -> int:
    text = request.match_info["number"]
    if not text.isdigit() or len(text) > MAX_NUMBER_DIGITS:
        raise NotFound
    return int(text)


def _without_token(path: str) -> str:
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "p":
        parts[2] = "…"
    return "/".join(parts)


async def serve_pages(services, config, digest_hooks=()) -> WebServer:
    """Start serving the rooms' pages with the bot's services ([web] `config`); `!pages` then gives addresses."""
    services.web_url = config.public_url
    server = WebServer(Site(services, config.public_url, tuple(digest_hooks)), config.listen)
    await server.start()
    return server
