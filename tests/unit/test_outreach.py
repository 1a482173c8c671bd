"""Outreach trips and the "who is on site" header (docs/domain.md §4, §9.10)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts import auth
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import changes, outreach
from db.database import connection
from db.models import Contact
from tests.conftest import FakeClock
from tests.night_helpers import actions, session


@pytest.fixture
def mette(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


@pytest.fixture
def jonas(rt: Runtime, clock: FakeClock) -> SignedInUser:
    clock.advance(minutes=1)
    return session(rt, "jonas", display="Jonas")


def test_both_logged_in_are_on_site(rt: Runtime, mette: SignedInUser, jonas: SignedInUser) -> None:
    status = outreach.site_status(rt, mette)
    assert status.text == "På stedet: Jonas, Mette"
    assert not status.alone


def test_trip_out_and_back(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    clock.current = clock.current.replace(hour=0, minute=40)  # 01:40 local, next day
    clock.advance(days=1)
    token = changes.change_token(rt)
    trip = outreach.depart(rt, jonas)
    assert changes.change_token(rt) != token
    status = outreach.site_status(rt, mette)
    assert status.text == "På stedet: Mette · Ude: Jonas siden 01:40"
    assert status.alone
    clock.advance(minutes=50)
    back = outreach.return_trip(rt, mette, trip.id)
    assert back.returned_at == clock.current
    assert outreach.site_status(rt, mette).text == "På stedet: Jonas, Mette"
    assert actions()[-2:] == ["outreach.depart", "outreach.return"]
    with connection():
        assert Contact.select().count() == 0  # never a contact


def test_companion_is_out_too_and_validated(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser
) -> None:
    with pytest.raises(ValidationError, match="Ledsageren findes ikke"):
        outreach.depart(rt, jonas, companion="ukendt")
    with pytest.raises(ValidationError, match="egen ledsager"):
        outreach.depart(rt, jonas, companion="jonas")
    trip = outreach.depart(rt, jonas, companion="mette")
    assert trip.companion == "Mette"
    status = outreach.site_status(rt, mette)
    assert status.on_site == () and status.text.startswith("På stedet: ingen · Ude: ")
    with pytest.raises(ValidationError, match="allerede ude"):
        outreach.depart(rt, mette)


def test_times_are_checked(rt: Runtime, jonas: SignedInUser, clock: FakeClock) -> None:
    with pytest.raises(ValidationError, match="fremtiden"):
        outreach.depart(rt, jonas, at=clock.current + timedelta(minutes=2))
    with pytest.raises(ValidationError, match="12 timer"):
        outreach.depart(rt, jonas, at=clock.current - timedelta(hours=13))
    trip = outreach.depart(rt, jonas, at=clock.current - timedelta(minutes=30))
    with pytest.raises(ValidationError, match="før afgang"):
        outreach.return_trip(rt, jonas, trip.id, at=clock.current - timedelta(hours=1))
    outreach.return_trip(rt, jonas, trip.id)
    with pytest.raises(NotFound):
        outreach.return_trip(rt, jonas, trip.id)
    assert [t.id for t in outreach.recent_trips(rt, jonas)] == [trip.id]


def test_logout_leaves_the_site_and_moves_the_token(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    token = changes.change_token(rt)
    clock.advance(minutes=1)
    auth.logout(rt, jonas)
    assert changes.change_token(rt) != token
    assert outreach.site_status(rt, mette).text == "På stedet: Mette"
    clock.advance(minutes=1)
    token = changes.change_token(rt)
    auth.login(rt, "jonas", "korrekt hest batteri klips")
    assert changes.change_token(rt) != token
    assert outreach.site_status(rt, mette).on_site == ("Jonas", "Mette")


def test_idle_lock_keeps_the_user_on_site(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    clock.advance(minutes=1)
    auth.record_lock(rt, jonas)
    assert "Jonas" in outreach.site_status(rt, mette).on_site


def test_sessions_older_than_the_window_are_not_on_site(
    rt: Runtime, mette: SignedInUser, clock: FakeClock
) -> None:
    clock.advance(hours=12, minutes=1)
    assert outreach.site_status(rt, mette).text == "På stedet: ingen"


def test_token_is_one_query(rt: Runtime, mette: SignedInUser) -> None:
    from db.database import database

    with connection():
        calls: list[str] = []
        original = database.obj.execute_sql

        def counting(sql: str, params: object = None) -> object:
            calls.append(sql)
            return original(sql, params)

        database.obj.execute_sql = counting
        try:
            changes.change_token(rt)
        finally:
            del database.obj.execute_sql
    assert len(calls) == 1 and calls[0].count("SELECT") == 3


def test_token_reader_keeps_its_connection_one_statement_per_poll(
    rt: Runtime, mette: SignedInUser
) -> None:
    import threading

    from db.database import database

    statements: list[str] = []
    tokens: list[changes.Token] = []

    def poller() -> None:  # a thread of its own, like the screens' poller
        reader = changes.TokenReader(rt)
        tokens.append(reader.read())
        database.connection().set_trace_callback(statements.append)
        tokens.append(reader.read())
        tokens.append(reader.read())
        reader.close()

    thread = threading.Thread(target=poller)
    thread.start()
    thread.join()
    assert len(statements) == 2  # two polls, one SELECT each, no connection set-up
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements)
    assert tokens[0] == tokens[1] == tokens[2]
