"""`schakel check-messages`: every Dutch template, filled with realistic values, checked.

Each text in messages/texts.py is marked with its audience (`for_newcomers`, `N_` for
staff, `label`). The audience decides which findings break the build and which are
only tips: a newcomer text must be plain Dutch at about A2 and fit one SMS; a staff
text must avoid long sentences, the passive, formal words and abbreviations; a label
(a button, a status) must stay short.
"""

from __future__ import annotations

import dataclasses
import re
import string
from dataclasses import dataclass, field

from messages import texts
from messages.plain import PlainRules, TextReport, check_text
from messages.samples import SAMPLE_VALUES
from messages.texts import AUDIENCE, Audience

ALL_RULES = frozenset(
    {"sentence-length", "long-word", "rare-word", "a2-word", "passive", "u-je", "abbreviation",
     "formal-word", "flesch-douma", "sms"}
)  # fmt: skip


@dataclass(frozen=True)
class Profile:
    description: str
    rules: PlainRules
    enforced: frozenset[str]  # findings of these rules fail the check; others are tips
    max_sms_parts: int | None = None
    max_characters: int | None = None


PROFILES: dict[Audience, Profile] = {
    Audience.NEWCOMER: Profile(
        "newcomer: plain Dutch (A2), one SMS",
        PlainRules(max_words_per_sentence=12, min_flesch_douma=80, a2_below_zipf=4.5),
        ALL_RULES,
        max_sms_parts=1,
    ),
    Audience.STAFF: Profile(
        "staff: plain Dutch, may be longer",
        PlainRules(max_words_per_sentence=15),
        frozenset({"sentence-length", "passive", "u-je", "abbreviation", "formal-word", "sms"}),
    ),
    Audience.LABEL: Profile(
        "label: a few words",
        PlainRules(max_words_per_sentence=4),
        frozenset({"sentence-length", "abbreviation", "formal-word", "rare-word", "u-je", "sms"}),
        max_characters=20,
    ),
}

_COMMAND = re.compile(r"/([a-z_]+)")
# Flesch-Douma says little about a few words ("Uw afspraken:"); shorter texts are not scored.
FLESCH_DOUMA_MIN_WORDS = 8
_ARGUMENT_WORD = re.compile(r"\b[A-Z]{3,}\b")  # VOORNAAM, TAAL: what to type, not prose


@dataclass
class TemplateReport:
    name: str
    audience: Audience
    template: str
    worst: TextReport  # the longest rendering, for the SMS figures
    flesch_douma: float  # of the writer's own words (see _neutral)
    problems: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)


def template_names() -> list[str]:
    """The constant names of every marked text in texts.py, in file order."""
    return [name for name, value in vars(texts).items() if isinstance(value, str)
            and value in AUDIENCE and name.isupper()]  # fmt: skip


def renderings(template: str) -> list[dict[str, str]]:
    """Sets of values: all at their longest, then each other sample of one placeholder."""
    names = sorted({name for _, name, _, _ in string.Formatter().parse(template) if name})
    missing = [name for name in names if name not in SAMPLE_VALUES]
    if missing:
        raise KeyError(", ".join(missing))
    base = {name: SAMPLE_VALUES[name][0] for name in names}
    variants = [base]
    for name in names:
        variants.extend({**base, name: value} for value in SAMPLE_VALUES[name][1:])
    return variants


def _ignored_words(template: str, values: dict[str, str]) -> set[str]:
    """Words the writer of the template did not choose: values, commands, argument names."""
    ignored = set(_COMMAND.findall(template)) | set(_ARGUMENT_WORD.findall(template))
    for value in values.values():
        ignored.update(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", value))
        ignored.update(re.findall(r"[^\W\d_]+", value))
    return ignored


def _neutral(template: str) -> str:
    """The template with every placeholder as one short word and every /command as "x",
    so that Flesch-Douma judges the words the writer chose, not a newcomer's name."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return _COMMAND.sub("x", template.format(**dict.fromkeys(names, "Amal")))


def check_template(name: str, template: str) -> TemplateReport:
    audience = AUDIENCE[template]
    profile = PROFILES[audience]
    score = check_text(_neutral(template), profile.rules)
    if score.words < FLESCH_DOUMA_MIN_WORDS:
        score = dataclasses.replace(score, findings=[])
    try:
        variants = renderings(template)
    except KeyError as missing:
        return TemplateReport(
            name, audience, template, score, score.flesch_douma,
            problems=[f"no sample value for {missing.args[0]} in messages/samples.py"],
        )  # fmt: skip
    rules = dataclasses.replace(profile.rules, min_flesch_douma=None)
    reports = [
        check_text(template.format(**values), rules, ignore=_ignored_words(template, values))
        for values in variants
    ]
    worst = max(reports, key=lambda report: (report.sms.parts, report.sms.units))
    result = TemplateReport(name, audience, template, worst, score.flesch_douma)
    reports.append(dataclasses.replace(
        score, findings=[f for f in score.findings if f.rule == "flesch-douma"]
    ))  # fmt: skip
    seen: set[str] = set()
    for report in reports:
        for finding in report.findings:
            line = f"{finding.rule}: {finding.text!r} -> {finding.suggestion}"
            if line in seen:
                continue
            seen.add(line)
            (result.problems if finding.rule in profile.enforced else result.tips).append(line)
    if profile.max_sms_parts is not None and worst.sms.parts > profile.max_sms_parts:
        result.problems.append(
            f"sms: {worst.sms.parts} parts ({worst.sms.units} {worst.sms.encoding} units) "
            f"with the longest sample values; at most {profile.max_sms_parts} allowed"
        )
    if profile.max_characters is not None and len(worst.text) > profile.max_characters:
        result.problems.append(
            f"length: {len(worst.text)} characters; at most {profile.max_characters} allowed"
        )
    return result


def check_all_templates() -> list[TemplateReport]:
    return [check_template(name, getattr(texts, name)) for name in template_names()]


def format_template_report(report: TemplateReport) -> str:
    sms, status = report.worst.sms, "FAIL" if report.problems else "ok"
    lines = [
        f"{status:4} {report.name} ({PROFILES[report.audience].description})",
        f"     {report.worst.text}",
        f"     SMS: {sms.parts} part(s), {sms.units} {sms.encoding} units; "
        f"Flesch-Douma {report.flesch_douma:.0f}",
    ]
    lines += [f"     x {problem}" for problem in report.problems]
    lines += [f"     tip {tip}" for tip in report.tips]
    return "\n".join(lines)


def run_check_messages(*, only_problems: bool = False) -> int:
    """Print the report of every template; exit status 1 when any breaks a rule."""
    reports = check_all_templates()
    for report in reports:
        if report.problems or not only_problems:
            print(format_template_report(report))
    failing = [report.name for report in reports if report.problems]
    print(f"\n{len(reports)} templates checked, {len(failing)} break a rule"
          + (f": {', '.join(failing)}" if failing else "."))  # fmt: skip
    return 1 if failing else 0
