"""Browser tests: Debian's chromium driven by Playwright against Django's ``live_server``.

One browser per test session (starting chromium is the slow part); a fresh context (cookies, storage) per
person in each test. Never downloads a browser: without ``/usr/bin/chromium`` every test here skips.
On failure, a screenshot of every page still open is saved in the test's ``tmp_path``.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    Province,
    leader,
    procedure,
    receiver,
    specialist,
    units,
)

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = "needs Debian chromium (apt install chromium)"
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Keep each phase's report on the item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Playwright's sync API keeps an asyncio loop marked as running in this thread while it is open,
    which Django takes for an async context and refuses the ORM. The tests are plain sequential code
    (the live server answers in its own thread), so that guard is lifted for the browser session."""
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    sync_api = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            yield chromium
            chromium.close()


@pytest.fixture
def _browser_settings(settings, live_server, tmp_path):  # type: ignore[no-untyped-def]
    """Plain HTTP on loopback, the sandbox bank on, its notices POSTed to this live server."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    settings.PAYMENT_SANDBOX_NOTIFY_URL = live_server.url + reverse("api:payment_notice_sandbox")
    settings.MOTCUA_PUBLIC_URL = live_server.url
    return settings


@pytest.fixture
def new_page(browser, live_server, _browser_settings, request, tmp_path):  # type: ignore[no-untyped-def]
    """``new_page()`` opens a page in a fresh browser context (one person); closed after the test."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                shot = tmp_path / f"failure-{n}-{m}.png"
                try:
                    page.screenshot(path=str(shot), full_page=True)
                    print(f"screenshot of {page.url}: {shot}")
                except Exception as exc:
                    print(f"no screenshot of {page.url}: {exc!r}")
    for context in contexts:
        context.close()


@pytest.fixture
def axe_check() -> Callable[[Any, str], None]:
    """``axe_check(page, name)``: axe-core on the page as it is; fails on serious or critical findings."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any, name: str) -> None:
        results = axe.run(page)
        violations = results.response["violations"]
        bad = [v for v in violations if v.get("impact") in {"serious", "critical"}]
        for v in violations:
            if v not in bad:  # reported (shown with -s or on failure), not failing
                print(f"axe on {name}: {v['id']} ({v['impact']}) on {len(v['nodes'])} element(s)")
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in bad
        ]
        assert not bad, f"axe on {name} ({page.url}):\n" + "\n".join(details)

    return check
