"""Each worker's store of cached pages (webinar/page_cache.py), on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webinar.page_cache import CachedPage, PageStore

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
KEY = ("http://localhost/", "/")


def page(body: bytes = b"page", *, life: timedelta = timedelta(seconds=60)) -> CachedPage:
    return CachedPage(body=body, headers=(), etag="x", expires_at_utc=NOW + life)


def stored(store: PageStore, *, version: int) -> CachedPage | None:
    return store.get(KEY, version=version, now=NOW)


def test_a_page_is_served_only_for_the_version_it_was_stored_under() -> None:
    store = PageStore()
    assert stored(store, version=1) is None
    store.put(KEY, page(), version=1)

    assert stored(store, version=1) == page()
    assert stored(store, version=2) is None
    assert stored(store, version=1) is None  # the new version emptied the store


def test_a_page_rendered_from_a_version_already_replaced_is_not_kept() -> None:
    store = PageStore()
    stored(store, version=1)
    stored(store, version=2)  # another request saw the change meanwhile

    store.put(KEY, page(b"old"), version=1)

    assert stored(store, version=2) is None


def test_after_a_database_restore_an_older_version_caches_again() -> None:
    store = PageStore()
    stored(store, version=7)
    stored(store, version=0)
    store.put(KEY, page(), version=0)

    assert stored(store, version=0) == page()


def test_a_page_expires_at_its_time() -> None:
    store = PageStore()
    stored(store, version=1)
    store.put(KEY, page(life=timedelta(seconds=5)), version=1)

    assert store.get(KEY, version=1, now=NOW + timedelta(seconds=4)) is not None
    assert store.get(KEY, version=1, now=NOW + timedelta(seconds=5)) is None


def test_the_store_keeps_at_most_its_size_dropping_the_least_recently_used() -> None:
    store = PageStore(max_pages=2)
    stored(store, version=1)
    for path in ("/a", "/b"):
        store.put(("h", path), page(path.encode()), version=1)
    store.get(("h", "/a"), version=1, now=NOW)

    store.put(("h", "/c"), page(b"/c"), version=1)

    assert store.get(("h", "/b"), version=1, now=NOW) is None
    assert store.get(("h", "/a"), version=1, now=NOW) is not None
    assert store.get(("h", "/c"), version=1, now=NOW) is not None
