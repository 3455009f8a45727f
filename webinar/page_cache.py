"""Public pages served from a cache, and the version that says when it is stale.

The design and its reasons are in docs/architecture.md#public-page-cache; what keeps it
safe for people who share a device is in docs/safety.md#cached-pages.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, ParamSpec, Protocol, TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, g, make_response, request, session
from werkzeug.wrappers import Response as BaseResponse

from webinar.models import utc_now
from webinar.page_version import current_version
from webinar.page_version import register as register_page_version

#: Pages kept per worker process; the least recently used goes first.
MAX_PAGES = 500

#: Added by social media, newsletters and ad links to every shared link: never read by a
#: page, so a visitor arriving from a campaign post gets the cached page.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "msclkid",
        "dclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "utm_id",
    }
)

#: Kept from the view's response; the security headers are added to every response anyway.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control")


def valid_until(moment: datetime | None) -> None:
    """The page changes by itself at `moment` (registration opens, the event starts...)."""
    if moment is not None:
        earliest: datetime | None = g.get("page_valid_until")
        g.page_valid_until = moment if earliest is None else min(earliest, moment)


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    expires_at_utc: datetime

    def response(self) -> BaseResponse:
        response = current_app.response_class(self.body, status=200, headers=list(self.headers))
        response.set_etag(self.etag)
        return response


class Expiring(Protocol):
    @property
    def expires_at_utc(self) -> datetime: ...


PageT = TypeVar("PageT", bound=Expiring)


class PageStore(Generic[PageT]):
    """The pages of one worker process, all stored under the one version it holds now.

    A request that read another version empties it and holds that one (a newer version,
    or an older one after the database was restored from a backup). A page is stored only
    under the version its request read, so none is ever served for another version; a
    request that read the old version just as the new one arrived can only cost a render.
    """

    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self._pages: OrderedDict[tuple[str, str], PageT] = OrderedDict()
        self._version: int | None = None
        self._max_pages = max_pages
        self._lock = threading.Lock()
        self._rendering: dict[tuple[tuple[str, str], int], threading.Event] = {}

    def get(
        self, key: tuple[str, str], *, version: int, now: datetime, adopt: bool = True
    ) -> PageT | None:
        """The page kept under `version`; with `adopt`, another version empties the store
        and becomes its own (without, it only means nothing is kept for this request)."""
        with self._lock:
            if version != self._version:
                if adopt:
                    self._pages.clear()
                    self._version = version
                return None
            page = self._pages.get(key)
            if page is None or page.expires_at_utc <= now:
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, str], page: PageT, *, version: int) -> None:
        with self._lock:
            if version != self._version:
                return  # another request has seen a different version since
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)

    def render_underway(self, key: tuple[str, str], version: int) -> threading.Event | None:
        """None when this request is the one to render the page under `version` (it then
        calls `rendered`); otherwise what to wait on while another request renders it."""
        with self._lock:
            underway = self._rendering.get((key, version))
            if underway is None:
                self._rendering[(key, version)] = threading.Event()
            return underway

    def rendered(self, key: tuple[str, str], version: int) -> None:
        with self._lock:
            underway = self._rendering.pop((key, version), None)
        if underway is not None:
            underway.set()


P = ParamSpec("P")


def cached_page(view: Callable[P, Any]) -> Callable[P, BaseResponse]:
    """Serve a public page from the cache to anonymous visitors; ETag and 304 for all."""

    @functools.wraps(view)
    def serve(*args: P.args, **kwargs: P.kwargs) -> BaseResponse:
        # Set by this view only: `g` can outlive one request (Flask's test client).
        g.pop("page_valid_until", None)
        version = current_version() if cacheable_request() else None
        if version is None:
            return _conditional(make_response(view(*args, **kwargs)))
        store: PageStore[CachedPage] = current_app.extensions["page_cache"]
        found = kept_or_rendered(
            store, version, lambda: make_response(view(*args, **kwargs)), _page_from
        )
        return _conditional(found if isinstance(found, BaseResponse) else found.response())

    return serve


def kept_or_rendered(
    store: PageStore[PageT],
    version: int,
    render: Callable[[], BaseResponse],
    keep: Callable[[BaseResponse, datetime], PageT | None],
) -> PageT | BaseResponse:
    """What `store` holds for this request's page under `version`; otherwise the view's
    fresh response, kept for the next visitor when `keep` makes something of it.

    One render of a page at a time per process: a surge that finds it gone (just changed,
    or the worker just started) waits for that render rather than making the same page
    over and over at once (docs/architecture.md#one-render-at-a-time).
    """
    key = (request.host_url, request.path)
    kept = store.get(key, version=version, now=utc_now())
    if kept is not None:
        return kept
    underway = store.render_underway(key, version)
    if underway is None:
        try:
            return _render_and_keep(store, key, version, render, keep)
        finally:
            store.rendered(key, version)
    underway.wait(timeout=RENDER_WAIT_SECONDS)
    # Not adopted: if the version was raised while this request waited, the pages kept
    # under the new one stay, and this request just renders its own.
    kept = store.get(key, version=version, now=utc_now(), adopt=False)
    if kept is not None:
        return kept
    # Not kept (a 404, a page with a cookie) or not in time: render it alongside the others.
    return _render_and_keep(store, key, version, render, keep)


#: How long a request waits for another's render of its page before making its own.
RENDER_WAIT_SECONDS = 2.0


def _render_and_keep(
    store: PageStore[PageT],
    key: tuple[str, str],
    version: int,
    render: Callable[[], BaseResponse],
    keep: Callable[[BaseResponse, datetime], PageT | None],
) -> BaseResponse:
    now = utc_now()
    response = render()
    fresh = keep(response, now)
    if fresh is not None:
        store.put(key, fresh, version=version)
    return response


def cacheable_request() -> bool:
    """Only what every anonymous visitor is sent alike (docs/safety.md#cached-pages)."""
    return (
        current_app.config["PAGE_CACHE_SECONDS"] > 0
        and request.method in ("GET", "HEAD")
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and set(request.args) <= TRACKING_PARAMETERS
        # Only the site's own address: made-up Host headers would each fill the cache
        # with copies and push the real pages out.
        and request.host == urlsplit(current_app.config["PUBLIC_SITE_URL"]).netloc
    )


def _page_from(response: BaseResponse, now: datetime) -> CachedPage | None:
    """What to keep of a fresh response; None when it must not be kept for others."""
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Set-Cookie" in response.headers
        # Flask writes the session cookie only after this, so look at the session itself.
        or session.modified
        or session
    ):
        return None
    body = response.get_data()
    response.add_etag()
    etag = response.get_etag()[0] or ""
    return CachedPage(
        body=body, headers=kept_headers(response), etag=etag, expires_at_utc=expiry(now)
    )


def expiry(now: datetime) -> datetime:
    """When a page rendered now stops being served: the cache's life, or sooner the clock's
    next change to it (valid_until)."""
    expires = now + timedelta(seconds=current_app.config["PAGE_CACHE_SECONDS"])
    limit: datetime | None = g.get("page_valid_until")
    return expires if limit is None else min(expires, limit)


def kept_headers(response: BaseResponse) -> tuple[tuple[str, str], ...]:
    kept = response.headers
    return tuple((name, kept[name]) for name in KEPT_HEADERS if name in kept)


def _conditional(response: BaseResponse) -> BaseResponse:
    """An ETag on every 200, and 304 Not Modified when the visitor already has it."""
    if response.status_code == 200 and not response.is_streamed:
        if not response.get_etag()[0]:
            response.add_etag()
        response.make_conditional(request)
    return response


def register(app: Flask) -> None:
    app.extensions["page_cache"] = PageStore[CachedPage]()
    # Forms (webinar.form_cache) apart: a page and its form are different responses.
    app.extensions["form_cache"] = PageStore[Any]()
    register_page_version(app)
