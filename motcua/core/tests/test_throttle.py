"""The database-backed throttle: exact limits, fixed windows, refunds, hashed keys, several threads."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from motcua.core import throttle
from motcua.core.models import ThrottleCounter

T0 = dt.datetime(2024, 3, 4, 1, 0, tzinfo=dt.UTC)
RULE = throttle.Rule("test:lookup", 3, dt.timedelta(minutes=15))


@pytest.mark.django_db
def test_attempts_within_the_limit_pass_and_the_next_is_refused():
    results = [throttle.consume(RULE, "203.0.113.7", now=T0 + dt.timedelta(seconds=i)) for i in range(5)]

    assert results == [True, True, True, False, False]
    assert throttle.is_limited(RULE, "203.0.113.7", now=T0 + dt.timedelta(minutes=1))


@pytest.mark.django_db
def test_keys_and_scopes_are_counted_separately():
    other_scope = throttle.Rule("test:other", 3, dt.timedelta(minutes=15))
    for _ in range(4):
        throttle.consume(RULE, "203.0.113.7", now=T0)

    assert throttle.consume(RULE, "203.0.113.8", now=T0)
    assert throttle.consume(other_scope, "203.0.113.7", now=T0)
    assert not throttle.is_limited(RULE, "203.0.113.8", now=T0)


@pytest.mark.django_db
def test_a_new_window_starts_after_the_old_one_ends():
    for _ in range(4):
        throttle.consume(RULE, "k", now=T0)
    assert not throttle.consume(RULE, "k", now=T0 + dt.timedelta(minutes=14, seconds=59))

    # when: the first attempt after the window
    allowed = throttle.consume(RULE, "k", now=T0 + dt.timedelta(minutes=15, seconds=1))

    # then: it starts a fresh window with a count of 1
    assert allowed
    row = ThrottleCounter.objects.get(scope=RULE.scope)
    assert row.count == 1
    assert row.window_started_at == T0 + dt.timedelta(minutes=15, seconds=1)
    assert not throttle.is_limited(RULE, "k", now=T0 + dt.timedelta(minutes=16))


@pytest.mark.django_db
def test_refund_gives_an_attempt_back_and_never_goes_below_zero():
    for _ in range(3):
        throttle.consume(RULE, "k", now=T0)
    throttle.refund(RULE, "k")

    assert throttle.consume(RULE, "k", now=T0)
    assert not throttle.consume(RULE, "k", now=T0)
    throttle.refund(RULE, "unknown")  # nothing to give back: no row, no error
    assert not ThrottleCounter.objects.filter(count__lt=0).exists()


@pytest.mark.django_db
def test_keys_are_stored_only_as_a_keyed_hash():
    throttle.consume(RULE, "000.00.06.H56-231027-0361", now=T0)

    row = ThrottleCounter.objects.get()
    assert "0361" not in row.key_hash
    assert row.key_hash == throttle.key_hash(RULE.scope, "000.00.06.H56-231027-0361")
    assert len(row.key_hash) == 64


@pytest.mark.django_db
def test_prune_deletes_only_old_windows():
    throttle.consume(RULE, "old", now=T0)
    throttle.consume(RULE, "new", now=T0 + dt.timedelta(hours=2))

    assert throttle.prune(before=T0 + dt.timedelta(hours=1)) == 1
    assert ThrottleCounter.objects.count() == 1


def test_a_rule_must_make_sense():
    with pytest.raises(ValueError, match="limit"):
        throttle.Rule("x", 0, dt.timedelta(minutes=1))
    with pytest.raises(ValueError, match="window"):
        throttle.Rule("x", 1, dt.timedelta(0))
    with pytest.raises(ValueError, match="scope"):
        throttle.Rule("x" * 41, 1, dt.timedelta(minutes=1))


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_are_counted_exactly_once_each():
    # given: more concurrent attempts than the limit, each on its own database connection
    rule = throttle.Rule("test:concurrent", 5, dt.timedelta(minutes=15))
    outcomes: list[bool] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def attempt() -> None:
        try:
            start.wait()
            allowed = throttle.consume(rule, "198.51.100.1")
            with lock:
                outcomes.append(allowed)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then: exactly the limit passed, the rest were refused, and the counter saw every attempt
    assert not errors
    assert sorted(outcomes) == [False] * 3 + [True] * 5
    assert ThrottleCounter.objects.get(scope=rule.scope).count == 8


def test_client_address_is_the_socket_address_without_proxies(settings):
    settings.MOTCUA_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert throttle.client_address(request) == "203.0.113.9"


def test_client_address_behind_a_trusted_proxy_ignores_what_the_client_typed(settings):
    settings.MOTCUA_PROXY_COUNT = 1
    # the client typed "1.2.3.4"; the proxy appended the real address
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")

    assert throttle.client_address(request) == "203.0.113.9"


def test_ipv6_clients_are_grouped_by_their_64_network(settings):
    settings.MOTCUA_PROXY_COUNT = 0
    one = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::1")
    two = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")

    assert throttle.client_address(one) == throttle.client_address(two) == "2001:db8:1:2::/64"
