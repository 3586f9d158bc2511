"""The rules of staff leave (bot/people/leave.py), without Telegram: who may take over,
what is refused (and then nothing changes), and everything that ending access does."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app.demo import DEMO_ORGANISATIONS
from bot.core.clock import to_db
from bot.people import leave
from bot.people.counsellors import counsellors_of
from bot.people.identity import identify
from bot.people.invites import InviteProblem, InviteRefused
from bot.people.leave import CannotLeave, LeaveProblem
from bot.people.newcomers import invite_newcomer, link_newcomer, record_consent
from bot.people.organisations import find_organisation, sync_organisations
from bot.people.staff import (
    Role,
    StaffMember,
    add_staff,
    any_staff_by_id,
    create_staff_invite,
    find_staff,
    redeem_staff_invite,
)
from bot.sending.outbox import Outgoing, enqueue
from bot.storage import drafts
from bot.storage.database import Store
from messages import render_bilingual, texts
from tests.conftest import FakeClock


@dataclass
class Office:
    store: Store
    clock: FakeClock
    admin: StaffMember
    laila: StaffMember  # caseworker at VDAB, who leaves
    tom: StaffMember  # caseworker at VDAB
    sarah: StaffMember  # caseworker at OCMW
    amal: int  # newcomer id, linked and agreed; Laila is her contact person
    hiwet: int  # newcomer id, invited by Laila, link unused
    staff_token: str  # an open staff link the admin made


async def member(
    store: Store, clock: FakeClock, user: int, name: str, role: Role, org: str
) -> StaffMember:
    organisation = await find_organisation(store, org)
    staff_id = await add_staff(
        store, clock, telegram_user_id=user, name=name, role=role, organisation=organisation,
        actor="test",
    )  # fmt: skip
    found = await any_staff_by_id(store, staff_id)
    assert found is not None
    return found


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    store = await Store.open(tmp_path / "schakel.db")
    clock = FakeClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    await sync_organisations(store, DEMO_ORGANISATIONS)
    admin = await member(store, clock, 1, "Annelies", Role.ADMIN, "In-Gent")
    laila = await member(store, clock, 2, "Laila", Role.CASEWORKER, "VDAB")
    tom = await member(store, clock, 9, "Tom", Role.CASEWORKER, "VDAB")
    sarah = await member(store, clock, 5, "Sarah", Role.CASEWORKER, "OCMW")
    amal = await invite_newcomer(
        store, clock, caseworker=laila, first_name="Amal", language="ar", valid_days=14
    )
    linked = await link_newcomer(store, clock, token=amal.token, telegram_user_id=3, chat_id=3)
    await record_consent(store, clock, linked, agreed=True)
    hiwet = await invite_newcomer(
        store, clock, caseworker=laila, first_name="Hiwet", language="ti", valid_days=14
    )
    vdab = await find_organisation(store, "VDAB")
    assert vdab is not None
    invite = await create_staff_invite(
        store, clock, admin=admin, role=Role.CASEWORKER, organisation=vdab, valid_days=7
    )
    yield Office(store, clock, admin, laila, tom, sarah, linked.id, hiwet.newcomer.id, invite.token)
    await store.close()


async def state(store: Store) -> list[object]:
    """Everything ending access could touch."""
    values = []
    for sql in (
        "SELECT group_concat(id || active || coalesce(deactivated_at, '-')) FROM staff",
        "SELECT group_concat(newcomer_id || ':' || staff_id || ':' || is_contact) FROM counsellors",
        "SELECT count(revoked_at) FROM newcomer_invites",
        "SELECT count(revoked_at) FROM staff_invites",
        "SELECT count(*) FROM drafts",
        "SELECT group_concat(status) FROM outbox",
        "SELECT count(*) FROM audit_log",
    ):
        values.append(await store.fetch_value(sql))
    return values


async def contact_id(store: Store, newcomer_id: int) -> object:
    return await store.fetch_value(
        "SELECT staff_id FROM counsellors WHERE newcomer_id = ? AND is_contact = 1",
        (newcomer_id,),
    )


async def test_only_active_caseworkers_of_the_same_organisation_may_take_over(
    office: Office,
) -> None:
    plan = await leave.leaving(office.store, office.laila.id)
    assert [n.first_name for n in plan.newcomers] == ["Amal", "Hiwet"]
    assert [c.name for c in plan.colleagues] == ["Tom"]  # not Sarah (OCMW), not the admin
    # Someone with no newcomers needs nobody.
    assert (await leave.leaving(office.store, office.tom.id)).colleagues == ()


@pytest.mark.parametrize(
    ("who", "colleague", "problem"),
    [
        ("nobody", None, LeaveProblem.NOT_FOUND),
        ("laila", "sarah", LeaveProblem.NOT_A_COLLEAGUE),  # another organisation
        ("laila", "admin", LeaveProblem.NOT_A_COLLEAGUE),  # not a caseworker
        ("laila", "laila", LeaveProblem.NOT_A_COLLEAGUE),  # herself
        ("laila", "nobody", LeaveProblem.NOT_A_COLLEAGUE),
        ("laila", None, LeaveProblem.NO_COLLEAGUE),  # her newcomers need someone
        ("sarah", None, LeaveProblem.NO_COLLEAGUE),  # OCMW has nobody else
        ("admin", None, LeaveProblem.LAST_ADMIN),
    ],
)
async def test_a_refusal_changes_nothing(
    office: Office, who: str, colleague: str | None, problem: LeaveProblem
) -> None:
    ids = {"nobody": 999, "laila": office.laila.id, "sarah": office.sarah.id,
           "admin": office.admin.id}  # fmt: skip
    if who == "sarah":
        await invite_newcomer(office.store, office.clock, caseworker=office.sarah,
                              first_name="Dawit", language="ti", valid_days=14)  # fmt: skip
    before = await state(office.store)
    with pytest.raises(CannotLeave) as refused:
        await leave.deactivate(
            office.store, office.clock, staff_id=ids[who],
            colleague_id=ids[colleague] if colleague else None, actor="test",
        )  # fmt: skip
    assert refused.value.problem is problem
    assert await state(office.store) == before


async def test_ending_access_does_everything_in_one_step(office: Office) -> None:
    store, clock, laila = office.store, office.clock, office.laila
    await drafts.save(store, clock, drafts.Draft(laila.id, "appointment", "when"))
    async with store.transaction() as db:
        later = clock() + dt.timedelta(hours=2)
        waiting = await enqueue(db, clock, Outgoing(2, "later", "notice", "k1", due_at=later))
    # Laila made no staff link; the admin's stays open. Her newcomer link for Hiwet stops.
    gone = await leave.deactivate(
        store, clock, staff_id=laila.id, colleague_id=office.tom.id, actor="staff:1"
    )
    assert gone.member.active is False and gone.member.deactivated_at == to_db(clock())
    assert (gone.colleague, gone.told, gone.links_stopped) == (office.tom, 1, 1)
    assert [n.first_name for n in gone.newcomers] == ["Amal", "Hiwet"]
    # Access: identify() knows her only as former staff.
    assert await find_staff(store, laila.telegram_user_id) is None
    identity = await identify(store, laila.telegram_user_id)
    assert identity.former_staff is not None and not identity.known
    # Draft dropped, what waited for her skipped, her open link revoked; the admin's not.
    assert await drafts.get(store, laila.id) is None
    assert await store.fetch_value("SELECT reason FROM outbox WHERE id = ?", (waiting,)) == (
        leave.ACCESS_ENDED_REASON
    )
    assert await store.fetch_value("SELECT count(revoked_at) FROM newcomer_invites") == 1
    assert await store.fetch_value("SELECT count(revoked_at) FROM staff_invites") == 0
    # Tom is the contact of both; Laila stays stored as someone who helped, off the card.
    for newcomer in (office.amal, office.hiwet):
        assert await contact_id(store, newcomer) == office.tom.id
        assert [p.name for p in await counsellors_of(store, newcomer)] == ["Tom"]
        assert {p.name for p in await counsellors_of(store, newcomer, with_former_staff=True)} == {
            "Tom",
            "Laila",
        }
    # The messages: Amal (linked, agreed) in Arabic with the card; Hiwet (not linked) none;
    # Tom gets the list.
    rows = await store.fetch_all(
        "SELECT chat_id, newcomer_id, json_extract(payload, '$.text') AS text FROM outbox"
        f" WHERE id IN ({','.join('?' * len(gone.outbox_ids))}) ORDER BY id",
        gone.outbox_ids,
    )
    assert [(row["chat_id"], row["newcomer_id"]) for row in rows] == [(3, office.amal), (9, None)]
    assert rows[0]["text"].startswith(
        render_bilingual("ar", texts.CONTACT_CHANGED, name="Tom", organisation="VDAB")
    )
    assert "Amal (K-" in rows[1]["text"] and "Hiwet (K-" in rows[1]["text"]
    actions = await store.fetch_all(
        "SELECT actor, action, subject, detail FROM audit_log WHERE actor = 'staff:1'"
        " AND action <> 'staff_invite.create'"
    )
    assert [row["action"] for row in actions] == ["newcomer.contact.change"] * 2 + [
        "staff.deactivate"
    ]
    assert actions[-1]["detail"] == f"newcomers 2 to staff:{office.tom.id}; links stopped 1"


async def test_nothing_more_reaches_former_staff_but_the_door_may_answer(office: Office) -> None:
    store, clock = office.store, office.clock
    await leave.deactivate(store, clock, staff_id=office.tom.id, colleague_id=None, actor="cli")
    async with store.transaction() as db:
        notice = await enqueue(db, clock, Outgoing(9, "about a note", "notice", "n1"))
        answer = await enqueue(db, clock, Outgoing(9, "access ended", "reply", "r1"))
    status = "SELECT status, coalesce(reason, '') FROM outbox WHERE id = ?"
    assert tuple(await store.fetch_one(status, (notice,)) or ()) == (
        "skipped",
        "staff access ended",
    )
    assert tuple(await store.fetch_one(status, (answer,)) or ()) == ("pending", "")


async def test_links_they_made_stop_and_access_comes_back(office: Office) -> None:
    store, clock = office.store, office.clock
    second = await member(store, clock, 11, "Bram", Role.ADMIN, "In-Gent")
    gone = await leave.deactivate(store, clock, staff_id=office.admin.id, colleague_id=None,
                                  actor=f"staff:{second.id}")  # fmt: skip
    assert gone.links_stopped == 1  # the admin's staff link
    with pytest.raises(InviteRefused) as refused:
        await redeem_staff_invite(store, clock, token=office.staff_token, telegram_user_id=20,
                                  name="Els")  # fmt: skip
    assert refused.value.problem is InviteProblem.REVOKED
    with pytest.raises(CannotLeave) as again:
        await leave.deactivate(store, clock, staff_id=office.admin.id, colleague_id=None,
                               actor="cli")  # fmt: skip
    assert again.value.problem is LeaveProblem.ALREADY_STOPPED
    back = await leave.reactivate(store, clock, staff_id=office.admin.id, actor="cli")
    assert back.active and back.role is Role.ADMIN and back.deactivated_at is None
    assert await find_staff(store, office.admin.telegram_user_id) == back
    with pytest.raises(CannotLeave) as twice:
        await leave.reactivate(store, clock, staff_id=office.admin.id, actor="cli")
    assert twice.value.problem is LeaveProblem.ALREADY_ACTIVE
    with pytest.raises(CannotLeave) as unknown:
        await leave.reactivate(store, clock, staff_id=999, actor="cli")
    assert unknown.value.problem is LeaveProblem.NOT_FOUND
    assert (
        await store.fetch_value(
            "SELECT count(*) FROM audit_log WHERE action = 'staff.reactivate' AND actor = 'cli'"
        )
        == 1
    )
