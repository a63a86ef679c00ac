"""Browser tests: real Chromium (Debian's, never a downloaded one) against the live server.

Every test here is marked `browser`. The live server implies a transactional database that
is flushed after each test, so the tests lay their ground themselves: the root `forums`
fixture seeds the four forums again, and the fixtures below add people and accounts."""

import io
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

# Playwright's sync API drives an event loop in this thread; Django would otherwise refuse
# the ORM calls the tests make between page loads (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "korrekt-hest-batteri"

# The four public forum pages, in the order of the forum list.
FORUM_SLUGS = [
    "borgmesterforum",
    "partnerskabsforum",
    "tvaerkommunal-styregruppe",
    "samarbejdsforum",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The base URL is the live server's, which each context gets from `site_context`.
    args = {k: v for k, v in browser_context_args.items() if k != "base_url"}
    return {**args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


@pytest.fixture(scope="session")
def page_audit(axe):
    """The checks every visited page goes through once a session (tests/browser/audit.py)."""
    from tests.browser.audit import PageAudit

    return PageAudit(axe=axe, axe_options=AXE_OPTIONS)


@pytest.fixture
def site_context(new_context, live_server, transactional_db, page_audit):
    """Make a fresh browser context (its own cookies) whose relative URLs go to the live
    server. Pass `user=` to start signed in as that user (a session cookie, no form).

    Every HTML page a context opens is checked when the test is over, before its data is
    gone (HTML validity, axe, title, focus rings, 320px reflow: tests/browser/audit.py);
    what is wrong fails the test there."""
    page_audit.visits.clear()

    def make(user=None, **kwargs):
        context = new_context(base_url=live_server.url, **kwargs)
        context.set_default_timeout(10_000)
        page_audit.watch(context)
        if user is not None:
            sign_in_by_cookie(context, live_server.url, user)
        return context

    yield make
    problems = page_audit.audit(new_context, live_server.url)
    if problems:
        pytest.fail("Pages visited by this test:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(site_context):
    """An anonymous visitor's page."""
    return site_context().new_page()


def sign_in_by_cookie(context, url: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def sign_in_by_form(page, email: str, password: str):
    """Sign in through the real form; returns the response to the last POST. A user who
    must use a second factor gets a TOTP device (if they have none) and types its code at
    the second step, as a person with an authenticator app does."""
    device = _totp_device_for(email)
    page.goto("/konto/log-ind/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    if device is not None and page.url.split("?")[0].endswith("/konto/totrin/"):
        return enter_totp_code(page, device)
    return navigation.value


def _totp_device_for(email: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import second_factor
    from accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    if user is None or not second_factor.is_required(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Testapp", confirmed=True)


def totp_code(device) -> str:
    """The code the device's app shows now (RFC 6238), with the device ready to accept it
    again (a test may sign the same person in twice within one 30-second step)."""
    from django_otp.oath import totp

    device.refresh_from_db()
    device.last_t = -1
    device.throttle_reset(commit=False)
    device.save()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def enter_totp_code(page, device):
    """Type the device's current code at the second step; returns the response to it."""
    form = page.locator("#second-step-form")
    form.locator("input[name=code]").fill(totp_code(device))
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    return navigation.value


@pytest.fixture
def demo_data(forums):
    """The demo people, memberships and theme group of `make run`, so that the pages show
    realistic tables (co-chairs, vacancies, theme groups) to check."""
    call_command("seed_demo", stdout=io.StringIO())


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now; fail with its report."""

    def check(page, what: str = "") -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{what or page.url}\n{results.generate_report()}"

    return check


# --- Meetings -----------------------------------------------------------------------------

# A small file that the attachment check takes for a PDF (it reads the first bytes).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def partnerskabsforum_day(today=None):
    """A weekday in May that Partnerskabsforum may meet on when called today: in its
    quarter (April–June) and at least 4 months ahead; next year's May, else the year after."""
    from datetime import date, timedelta

    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    today = today or timezone.localdate()
    earliest = today + relativedelta(months=4, days=1)
    for year in (today.year + 1, today.year + 2):
        day = date(year, 5, 12)
        while day.weekday() != 1:  # a Tuesday
            day += timedelta(days=1)
        if day >= earliest:
            return day
    raise AssertionError(f"no day in May found for {today}")


@pytest.fixture
def private_media(settings, tmp_path):
    """Attachments and agenda PDFs go to a directory of the test's own. (The private storage
    is a lazy object that keeps the directory it was set up with; it is reset around the
    test, whether or not it listens to `setting_changed` itself.)"""
    from django.utils.functional import empty

    from meetings.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    private_storage._wrapped = empty
    yield tmp_path / "private"
    private_storage._wrapped = empty


@pytest.fixture
def open_as(request, site_context, secretariat_user, other_member_user):
    """Open one of the test module's PAGES — name: (fixture giving the object, who, path
    from the object) — in a context of its own, as the visitor (None), a member of
    Partnerskabsforum ("member") or the secretariat."""
    from tests.browser.test_accessibility import open_page

    users = {None: None, "member": other_member_user, "secretariat": secretariat_user}
    pages = request.module.PAGES

    def open_(name: str, **context_args):
        fixture, who, path = pages[name]
        subject = request.getfixturevalue(fixture)
        page = site_context(user=users[who], **context_args).new_page()
        open_page(page, path(subject))
        return page

    return open_
