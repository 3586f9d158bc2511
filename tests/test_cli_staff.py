"""`schakel staff list | deactivate | reactivate`, run as a subprocess on a real database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from bot.core.clock import utc_now
from bot.core.config import load_config
from bot.people.newcomers import invite_newcomer, link_newcomer, record_consent
from bot.people.organisations import find_organisation, sync_organisations
from bot.people.staff import Role, add_staff, any_staff_by_id
from bot.storage.database import Store
from messages import render_bilingual, texts
from tests.test_cli import one_line_error, query, schakel, write_config

ORGANISATIONS = '\n[[organisations]]\nshort_name = "OCMW"\nname = "OCMW Gent"\n'


async def _office(config_path: Path) -> None:
    """Admin 1, caseworkers Laila 2 and Tom 3 (VDAB), Sarah 4 (OCMW); Amal is Laila's,
    linked and agreed, in Ukrainian."""
    config = load_config(config_path, {})
    store = await Store.open(config.storage.database)
    try:
        await sync_organisations(store, config.organisations)
        vdab = await find_organisation(store, "VDAB")
        ocmw = await find_organisation(store, "OCMW")
        people = [
            (1, "Annelies", Role.ADMIN, vdab),
            (2, "Laila", Role.CASEWORKER, vdab),
            (3, "Tom", Role.CASEWORKER, vdab),
            (4, "Sarah", Role.CASEWORKER, ocmw),
        ]
        for user, name, role, organisation in people:
            await add_staff(store, utc_now, telegram_user_id=user, name=name, role=role,
                            organisation=organisation, actor="test")  # fmt: skip
        laila = await any_staff_by_id(store, 2)
        assert laila is not None
        amal = await invite_newcomer(store, utc_now, caseworker=laila, first_name="Amal",
                                     language="uk", valid_days=14)  # fmt: skip
        linked = await link_newcomer(store, utc_now, token=amal.token, telegram_user_id=30,
                                     chat_id=30)  # fmt: skip
        await record_consent(store, utc_now, linked, agreed=True)
    finally:
        await store.close()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    database = tmp_path / "s.db"
    asyncio.run(_office(write_config(tmp_path, database, ORGANISATIONS)))
    return database


def unchanged(database: Path) -> list[tuple[object, ...]]:
    return query(
        database,
        "SELECT (SELECT group_concat(active) FROM staff),"
        " (SELECT group_concat(staff_id || is_contact) FROM counsellors),"
        " (SELECT count(*) FROM outbox), (SELECT count(*) FROM audit_log)",
    )


def test_staff_list(tmp_path: Path, office: Path) -> None:
    result = schakel(tmp_path, "staff", "list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [  # by organisation, then name
        "#4 Sarah, caseworker at OCMW",
        "#1 Annelies, admin at VDAB",
        "#2 Laila, caseworker at VDAB",
        "#3 Tom, caseworker at VDAB",
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["2"], "#2 Laila, caseworker at VDAB is the contact person of newcomers"),
        (["2", "--to", "4"], "--to 4 cannot take over from #2 Laila"),  # another organisation
        (["2", "--to", "1"], "--to 1 cannot take over"),  # not a caseworker
        (["2", "--to", "99"], "--to 99 cannot take over"),
        (["99", "--to", "3"], "no staff member #99"),
        (["1"], "#1 Annelies, admin at VDAB is the last admin with access"),
    ],
)
def test_deactivate_refused_in_one_line_and_nothing_changes(
    tmp_path: Path, office: Path, args: list[str], said: str
) -> None:
    before = unchanged(office)
    result = schakel(tmp_path, "staff", "deactivate", *args)
    assert result.returncode == 1
    line = one_line_error(result)
    assert said in line and line.endswith("; nothing changed"), line
    assert unchanged(office) == before


def test_deactivate_hands_over_then_reactivate(tmp_path: Path, office: Path) -> None:
    result = schakel(tmp_path, "staff", "deactivate", "2", "--to", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "#2 Laila, caseworker at VDAB: access ended; 0 open invite link(s) stopped",
        "1 newcomer(s) now have #3 Tom, caseworker at VDAB as contact person; 1 of them get"
        " a message (with the new card) when the bot runs",
    ]
    assert query(office, "SELECT active, deactivated_at IS NOT NULL FROM staff WHERE id = 2") == [
        (0, 1)
    ]
    assert query(office, "SELECT staff_id FROM counsellors WHERE is_contact = 1") == [(3,)]
    # Amal's message waits in the outbox, in Ukrainian and Dutch, for the bot to send.
    [(payload, status)] = query(office, "SELECT payload, status FROM outbox WHERE chat_id = 30")
    told = json.loads(str(payload))["text"]
    assert status == "pending"
    assert told.startswith(
        render_bilingual("uk", texts.CONTACT_CHANGED, name="Tom", organisation="VDAB")
    )
    assert query(
        office, "SELECT actor, subject FROM audit_log WHERE action = 'staff.deactivate'"
    ) == [("cli", "staff:2")]
    listed = schakel(tmp_path, "staff", "list").stdout.splitlines()
    today = dt.datetime.now(dt.UTC).date()  # the database's days are UTC
    assert listed[-1] == f"#2 Laila, caseworker at VDAB (access ended {today:%Y-%m-%d})"

    result = schakel(tmp_path, "staff", "reactivate", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "#2 Laila, caseworker at VDAB: has access again\n"
    assert query(office, "SELECT active, deactivated_at FROM staff WHERE id = 2") == [(1, None)]
    again = schakel(tmp_path, "staff", "reactivate", "2")
    assert again.returncode == 1
    assert one_line_error(again) == (
        "schakel: #2 Laila, caseworker at VDAB: already has access; nothing changed"
    )


def test_staff_help_names_the_actions(tmp_path: Path) -> None:
    result = schakel(tmp_path, "staff", "deactivate", "--help")
    assert result.returncode == 0
    assert "--to ID" in result.stdout and "last admin" in result.stdout
