"""Caseworkers: invite a newcomer (link + QR code), add who else helps, own contact details."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.core.callbacks import SMS_NUMBER_STEP
from bot.core.opening_hours import hours_for_reader, parse_hours
from bot.core.phones import BadPhone, display_phone, normalise_mobile, normalise_phone
from bot.core.redaction import keep
from bot.people import by_sms, counsellors, newcomers
from bot.people import staff as staff_rules
from bot.people.invites import start_link
from bot.people.organisations import find_organisation, organisation_names
from bot.people.qr import qr_png
from bot.people.staff import Role
from bot.sending.outbox import Attachment
from bot.storage import drafts
from handlers.core import forms
from handlers.core.access import gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.forms import Finish, FormEnds, Question, Retry, Step, Turn
from handlers.core.replies import quoted, reply
from handlers.people.cards import COUNSELLOR_ROLE_NAMES
from messages import format_when, render, texts
from messages.languages import SUPPORTED_LANGUAGES, parse_language


def register(application: SchakelApp) -> None:
    only_caseworkers = gate(Role.CASEWORKER)
    all_staff = gate(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN)
    application.add_handler(CommandHandler("nieuw", only_caseworkers(invite_newcomer)))
    application.add_handler(CommandHandler("sms", only_caseworkers(add_sms_number)))
    forms.serve(application, SMS_NUMBER_FORM, only_caseworkers)
    application.add_handler(CommandHandler("betrokken", all_staff(add_counsellor)))
    application.add_handler(CommandHandler("profiel", all_staff(edit_profile)))


def language_list(context: SchakelContext) -> str:
    return ", ".join(
        code for code in SUPPORTED_LANGUAGES if code in context.services.config.locale.languages
    )


async def invite_newcomer(update: Update, context: SchakelContext) -> None:
    """/nieuw VOORNAAM TAAL [NIVEAU]: register a newcomer, answer with their link and QR."""
    caseworker = context.identity.staff
    assert caseworker is not None  # the gate let only caseworkers in
    services, lang = context.services, caseworker.language
    args = list(context.args or [])
    levels = ", ".join(newcomers.DUTCH_LEVELS)
    usage = render(
        lang, texts.NEWCOMER_INVITE_USAGE, languages=language_list(context), levels=levels
    )
    # `/nieuw Amal ar A1 sms +32470123456`: by SMS, for a newcomer without Telegram.
    number = None
    if len(args) >= 4 and args[-2].casefold() == "sms":
        if (number := await _mobile_number(update, context, args[-1])) is None:
            return
        del args[-2:]
    level = None
    if len(args) >= 3 and (level := newcomers.parse_level(args[-1])) is not None:
        args.pop()
    if len(args) < 2:
        await reply(update, context, usage)
        return
    *name_parts, language_text = args
    language = parse_language(language_text)
    if language is None or language not in services.config.locale.languages:
        if newcomers.parse_level(language_text) is None and language_text[:1].upper() in "ABC":
            await reply(
                update,
                context,
                render(lang, texts.UNKNOWN_LEVEL, level=quoted(language_text), levels=levels),
            )
            return
        await reply(
            update,
            context,
            render(
                lang,
                texts.UNKNOWN_LANGUAGE,
                language=quoted(language_text),
                languages=language_list(context),
            ),
        )
        return
    try:
        invite = await newcomers.invite_newcomer(
            services.store,
            services.clock,
            caseworker=caseworker,
            first_name=" ".join(name_parts),
            language=language,
            dutch_level=level,
            valid_days=services.config.invites.newcomer_valid_days,
        )
    except newcomers.BadFirstName:
        await reply(
            update, context, render(lang, texts.BAD_FIRST_NAME, max=newcomers.FIRST_NAME_MAX)
        )
        return
    if number is not None:
        await _ask_by_sms(update, context, invite.newcomer, number)
    await send_invite(update, context, invite)


async def add_sms_number(update: Update, context: SchakelContext) -> None:
    """/sms CODE NUMMER: a mobile number for a newcomer (a fallback when Telegram does
    not reach them, or their only channel); the opt-in SMS goes at once."""
    caseworker = context.identity.staff
    assert caseworker is not None
    services, lang = context.services, caseworker.language
    args = context.args or []
    if len(args) != 2:
        await reply(update, context, render(lang, texts.SMS_USAGE))
        return
    newcomer = await newcomers.newcomer_for_staff(services.store, caseworker, args[0])
    if newcomer is None:
        await reply(
            update, context, render(lang, texts.NEWCOMER_NOT_FOUND, reference=quoted(args[0]))
        )
        return
    if (number := await _mobile_number(update, context, args[1])) is not None:
        await _ask_by_sms(update, context, newcomer, number)


# --- the same from the newcomer's sheet: a button, then the number typed ------------------


async def ask_sms_number(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer
) -> None:
    """The sheet's 📱 button: a one-question form that waits for the number typed."""
    staff = context.identity.staff
    assert staff is not None
    if not context.services.config.sms.enabled:
        await reply(update, context, render(staff.language, texts.SMS_IS_OFF))
        return
    await forms.start(update, context, SMS_NUMBER_FORM, {"ref": newcomer.reference})


async def _newcomer_of(turn: Turn) -> newcomers.Newcomer:
    reference = turn.data["ref"]
    newcomer = await newcomers.newcomer_for_staff(turn.services.store, turn.staff, reference)
    if newcomer is None:  # forgotten meanwhile, or no longer theirs
        raise FormEnds(render(turn.language, texts.NEWCOMER_NOT_FOUND, reference=reference))
    return newcomer


async def _ask_number(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    names = {"name": newcomer.first_name, "reference": newcomer.reference}
    return Question(render(turn.language, texts.SMS_NUMBER_ASK, **names))


async def _typed_number(turn: Turn, typed: str) -> Finish | Retry:
    """The same checks as /sms CODE NUMMER: a mobile number, not another newcomer's."""
    try:
        number = normalise_mobile(typed)
    except BadPhone:
        return Retry(render(turn.language, texts.BAD_SMS_NUMBER, number=quoted(typed)))

    async def act(turn: Turn) -> None:
        newcomer = await _newcomer_of(turn)
        await drafts.drop(turn.services.store, turn.staff.id)
        await _ask_by_sms(turn.update, turn.context, newcomer, number)

    return Finish(act)


SMS_NUMBER_FORM = forms.Form[newcomers.Newcomer](
    name="sms-number",
    callback=SMS_NUMBER_STEP,
    steps=(Step("number", _ask_number, typed=_typed_number),),
    subject=_newcomer_of,
)


async def _mobile_number(update: Update, context: SchakelContext, typed: str) -> str | None:
    """The typed number in E.164 when SMS is on and it is a mobile number; else says why."""
    staff = context.identity.staff
    assert staff is not None
    if not context.services.config.sms.enabled:
        await reply(update, context, render(staff.language, texts.SMS_IS_OFF))
        return None
    try:
        return normalise_mobile(typed)
    except BadPhone:
        await reply(
            update, context, render(staff.language, texts.BAD_SMS_NUMBER, number=quoted(typed))
        )
        return None


async def _ask_by_sms(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer, number: str
) -> None:
    """Keep the number (asked) and send the opt-in SMS; the caseworker hears the answer."""
    staff = context.identity.staff
    assert staff is not None
    services = context.services
    try:
        newcomer = await by_sms.add_number(
            services.store, services.clock, newcomer, number, actor=f"staff:{staff.id}"
        )
    except by_sms.NumberTaken:
        await reply(update, context, render(staff.language, texts.SMS_NUMBER_TAKEN))
        return
    await by_sms.opt_in(services, newcomer, contact=staff.name, organisation=staff.organisation)
    await reply(
        update, context,
        render(staff.language, texts.STAFF_SMS_OPT_IN_SENT, name=newcomer.first_name,
               reference=newcomer.reference, number=display_phone(number)),
    )  # fmt: skip


async def send_invite(
    update: Update, context: SchakelContext, invite: newcomers.NewcomerInvite
) -> None:
    """The link as text to copy, then as a QR code to show on screen or print."""
    staff = context.identity.staff
    assert staff is not None
    services, lang = context.services, staff.language
    link = start_link(services.config.telegram.bot_username, invite.token)
    expires = format_when(invite.expires_at, lang, services.config.locale.tzinfo)
    name, reference = invite.newcomer.first_name, invite.newcomer.reference
    await reply(
        update,
        context,
        render(
            lang, texts.NEWCOMER_INVITE_CREATED, name=name, reference=reference, expires=expires,
            link=link,
        ),
        secret=True,
    )  # fmt: skip
    await reply(
        update,
        context,
        render(lang, texts.QR_CAPTION, name=name),
        attachment=Attachment("photo", f"schakel-{reference}.png", qr_png(link)),
        secret=True,
    )


async def add_counsellor(update: Update, context: SchakelContext) -> None:
    """/betrokken CODE ROL ORGANISATIE NAAM: someone else who helps this newcomer."""
    staff = context.identity.staff
    assert staff is not None
    services, lang = context.services, staff.language
    args = context.args or []
    roles = ", ".join(counsellors.COUNSELLOR_KEYWORDS)
    if len(args) < 4:
        await reply(update, context, render(lang, texts.COUNSELLOR_USAGE, roles=roles))
        return
    reference, role_text, organisation_text, *name_parts = args
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, reference)
    if newcomer is None:
        await reply(
            update, context, render(lang, texts.NEWCOMER_NOT_FOUND, reference=quoted(reference))
        )
        return
    role = counsellors.parse_counsellor_role(role_text)
    if role is None:
        await reply(
            update, context, render(lang, texts.UNKNOWN_ROLE, role=quoted(role_text), roles=roles)
        )
        return
    organisation = await find_organisation(services.store, organisation_text)
    if organisation is None:
        names = ", ".join(await organisation_names(services.store))
        await reply(
            update,
            context,
            render(
                lang, texts.UNKNOWN_ORGANISATION, organisation=quoted(organisation_text),
                organisations=names,
            ),
        )  # fmt: skip
        return
    added = await counsellors.add_counsellor(
        services.store,
        services.clock,
        newcomer=newcomer,
        role=role,
        organisation=organisation,
        name=" ".join(name_parts),
        actor=staff,
    )
    await reply(
        update,
        context,
        render(
            lang,
            texts.COUNSELLOR_ADDED,
            counsellor=added.name,
            role=render(lang, COUNSELLOR_ROLE_NAMES[role]),
            organisation=added.organisation,
            name=newcomer.first_name,
            reference=newcomer.reference,
        ),
    )


async def edit_profile(update: Update, context: SchakelContext) -> None:
    """/profiel [telefoon NUMMER | uren DAGEN UREN | talen CODES]: what the contact card shows."""
    staff = context.identity.staff
    assert staff is not None
    services, lang = context.services, staff.language
    args = context.args or []
    field, value = (args[0].casefold(), args[1:]) if args else ("", [])
    phone = hours = None
    languages: tuple[str, ...] | None = None
    if field == "telefoon" and value:
        try:
            phone = normalise_phone(" ".join(value))
        except BadPhone:
            await reply(
                update, context, render(lang, texts.BAD_PHONE, phone=quoted(" ".join(value)))
            )
            return
    elif field == "uren" and value:
        hours = " ".join(value)
        if parse_hours(hours) is None:
            # Said back as it would be kept: a number typed by mistake is not repeated.
            await reply(update, context, render(lang, texts.BAD_HOURS, hours=quoted(keep(hours))))
            return
    elif field == "talen" and value:
        codes = [parse_language(word) for word in value]
        if None in codes:
            wrong = next(word for word, code in zip(value, codes, strict=True) if code is None)
            await reply(
                update,
                context,
                render(
                    lang, texts.UNKNOWN_LANGUAGE, language=quoted(wrong),
                    languages=", ".join(SUPPORTED_LANGUAGES),
                ),
            )  # fmt: skip
            return
        languages = tuple(dict.fromkeys(code for code in codes if code))
    changed = (phone, hours, languages) != (None, None, None)
    if changed:
        profile = await staff_rules.update_profile(
            services.store, services.clock, staff, phone=phone, hours=hours, languages=languages
        )
    else:
        profile = await staff_rules.profile_of(services.store, staff.id)
    not_set = render(lang, texts.NOT_SET)
    shown = render(
        lang,
        texts.PROFILE_SHOW,
        phone=display_phone(profile.phone) if profile.phone else not_set,
        # As Schakel read them, so staff see what the card will say.
        hours=hours_for_reader(profile.hours) if profile.hours else not_set,
        languages=", ".join(profile.languages) or not_set,
    )
    if not changed:
        shown += "\n" + render(lang, texts.PROFILE_USAGE)
    await reply(update, context, shown)


def caseworker_help(context: SchakelContext, language: str) -> str:
    return "\n".join([
        render(language, texts.CASEWORKER_HELP, languages=language_list(context)),
        render(language, texts.CASEWORKER_HELP_TAGS),
    ])  # fmt: skip
