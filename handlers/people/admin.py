"""Admins: invite staff with a role and an organisation; staff join through that link."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.people import staff as staff_rules
from bot.people.identity import Identity
from bot.people.invites import STAFF_PREFIX, InviteRefused, start_link
from bot.people.organisations import find_organisation, organisation_names
from bot.people.staff import ROLE_KEYWORDS, Role, parse_role
from handlers.core.access import gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import quoted, reply, role_name
from handlers.people.coordinator import figures_help
from handlers.people.joining import INVITE_TEXTS
from messages import format_when, render, texts


def register(application: SchakelApp) -> None:
    only_admins = gate(Role.ADMIN)
    application.add_handler(CommandHandler("uitnodigen", only_admins(invite_staff)))
    # Not gated: whoever holds a valid staff link may join.
    application.add_handler(
        CommandHandler(
            "start", join_as_staff, filters=filters.Regex(rf"^/start(@\w+)?\s+{STAFF_PREFIX}")
        )
    )


async def invite_staff(update: Update, context: SchakelContext) -> None:
    """/uitnodigen ROL ORGANISATIE: a single-use link for a new staff member."""
    admin = context.identity.staff
    assert admin is not None  # the gate let only admins in
    services, lang = context.services, admin.language
    args = context.args or []
    organisations = ", ".join(await organisation_names(services.store))
    roles = ", ".join(ROLE_KEYWORDS)
    if len(args) != 2:
        await reply(
            update,
            context,
            render(lang, texts.STAFF_INVITE_USAGE, roles=roles, organisations=organisations),
        )
        return
    role = parse_role(args[0])
    if role is None:
        await reply(
            update, context, render(lang, texts.UNKNOWN_ROLE, role=quoted(args[0]), roles=roles)
        )
        return
    organisation = await find_organisation(services.store, args[1])
    if organisation is None:
        await reply(
            update,
            context,
            render(
                lang,
                texts.UNKNOWN_ORGANISATION,
                organisation=quoted(args[1]),
                organisations=organisations,
            ),
        )
        return
    invite = await staff_rules.create_staff_invite(
        services.store,
        services.clock,
        admin=admin,
        role=role,
        organisation=organisation,
        valid_days=services.config.invites.staff_valid_days,
    )
    await reply(
        update,
        context,
        render(
            lang,
            texts.STAFF_INVITE_CREATED,
            role=role_name(lang, role),
            organisation=organisation.short_name,
            expires=format_when(invite.expires_at, lang, services.config.locale.tzinfo),
            link=start_link(services.config.telegram.bot_username, invite.token),
        ),
        secret=True,
    )


async def join_as_staff(update: Update, context: SchakelContext) -> None:
    if not (user := update.effective_user):
        return
    services, identity = context.services, context.identity
    if identity.staff is not None:
        await reply(
            update,
            context,
            render(
                identity.language,
                texts.STAFF_ALREADY_JOINED,
                role=role_name(identity.language, identity.staff.role),
            ),
        )
        return
    if identity.newcomer is not None:
        await reply(update, context, render(identity.language, texts.NOT_UNDERSTOOD))
        return
    try:
        member = await staff_rules.redeem_staff_invite(
            services.store,
            services.clock,
            token=(context.args or [""])[0],
            telegram_user_id=user.id,
            name=user.full_name,
        )
    except InviteRefused as refused:
        await reply(update, context, render("nl", INVITE_TEXTS[refused.problem.value]))
        return
    context.identity = Identity(staff=member)
    await reply(
        update,
        context,
        render(
            member.language,
            texts.STAFF_WELCOME,
            name=member.name,
            role=role_name(member.language, member.role),
            organisation=member.organisation,
        ),
    )


async def admin_help(context: SchakelContext, language: str) -> str:
    organisations = ", ".join(await organisation_names(context.services.store))
    admin = render(
        language, texts.ADMIN_HELP, roles=", ".join(ROLE_KEYWORDS), organisations=organisations
    )
    leave = render(language, texts.ADMIN_HELP_STAFF)
    return "\n".join([admin, leave, figures_help(language)])
