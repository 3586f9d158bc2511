"""The figures as one tall PNG that reads on a phone: a few horizontal bar panels, large
letters, the number at the end of every bar.

`panels()` decides what is drawn (tested against a known history); `chart_png()` draws it
with matplotlib's object API (no pyplot: no global state, safe in a worker thread).
matplotlib is imported only when a chart is drawn: it costs start-up time and memory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from babel.numbers import format_percent

from bot.appointments.words import KIND_NAMES
from bot.figures.queries import Figures
from bot.figures.words import ANSWER_GROUP_NAMES, chart_caption, language_name
from messages import SOURCE_LANGUAGE, render, texts
from messages.languages import babel_locale

# The bundled DejaVu Sans draws Latin and Cyrillic well. Arabic script needs shaping
# matplotlib does not do, and Ge'ez (Tigrinya) has no glyphs in it: those readers get the
# chart in Dutch (the text above it stays in their own language).
CHART_LANGUAGES = frozenset({"nl", "en", "fr", "so", "tr", "ru", "uk"})
WIDTH_INCHES, DPI = 6.0, 180  # 1080 pixels wide: a phone screen's width
MOST_LANGUAGES = 6  # more bars would not read on a phone

GREEN, RED, GREY, LIGHT, BLUE, DARK_BLUE = (
    "#2e7d32",
    "#c62828",
    "#9e9e9e",
    "#e0e0e0",
    "#1565c0",
    "#90caf9",
)


@dataclass(frozen=True)
class Series:
    name: str  # '' when the panel has one series (no legend)
    values: tuple[float, ...]
    colour: str


@dataclass(frozen=True)
class Panel:
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = False
    percent: bool = False


def chart_language(language: str) -> str:
    return language if language in CHART_LANGUAGES else SOURCE_LANGUAGE


def panels(figures: Figures, language: str) -> list[Panel]:
    """What the chart shows, in the chart's language; panels without data are left out."""
    lang = chart_language(language)

    def say(text: str) -> str:
        return render(lang, text)

    result: list[Panel] = []
    newcomers = figures.newcomers[:MOST_LANGUAGES]
    if newcomers:
        result.append(
            Panel(
                say(texts.FIGURES_NEWCOMERS_BY_LANGUAGE),
                tuple(language_name(count.language, lang) for count in newcomers),
                (
                    Series(say(texts.FIGURES_INVITED), tuple(c.invited for c in newcomers), BLUE),
                    Series(
                        say(texts.FIGURES_LINKED), tuple(c.linked for c in newcomers), DARK_BLUE
                    ),
                ),
            )
        )
    reminders = figures.reminders
    if reminders.sent or reminders.failed or reminders.skipped:
        result.append(
            Panel(
                say(texts.FIGURES_REMINDERS),
                tuple(
                    say(text)
                    for text in (
                        texts.FIGURES_SENT,
                        texts.FIGURES_FAILED,
                        texts.FIGURES_LATE,
                        texts.FIGURES_SKIPPED,
                    )
                ),
                (
                    Series(
                        "",
                        (reminders.sent, reminders.failed, reminders.late, reminders.skipped),
                        BLUE,
                    ),
                ),
            )
        )
    if figures.by_kind:
        kinds = list(figures.by_kind.items())
        result.append(
            Panel(
                say(texts.CHART_ATTENDANCE_BY_KIND),
                tuple(say(KIND_NAMES[kind]) for kind, _ in kinds),
                (
                    Series(say(texts.STATUS_ATTENDED), tuple(a.attended for _, a in kinds), GREEN),
                    Series(say(texts.STATUS_NO_SHOW), tuple(a.no_show for _, a in kinds), RED),
                    Series(say(texts.STATUS_MOVED), tuple(a.moved for _, a in kinds), GREY),
                    Series(say(texts.FIGURES_OPEN), tuple(a.open for _, a in kinds), LIGHT),
                ),
                stacked=True,
            )
        )
    answered = [(g, a) for g, a in figures.by_answer.items() if a.no_show_rate is not None]
    if answered:
        result.append(
            Panel(
                say(texts.CHART_NO_SHOW_BY_ANSWER),
                tuple(say(ANSWER_GROUP_NAMES[group]) for group, _ in answered),
                (Series("", tuple(100 * (a.no_show_rate or 0) for _, a in answered), RED),),
                percent=True,
            )
        )
    handovers = figures.handovers
    if handovers.written or handovers.taken_over or handovers.declined:
        result.append(
            Panel(
                say(texts.FIGURES_HANDOVERS),
                (
                    say(texts.FIGURES_WRITTEN),
                    say(texts.HANDOVER_STATUS_TAKEN),
                    say(texts.HANDOVER_STATUS_DECLINED),
                ),
                (Series("", (handovers.written, handovers.taken_over, handovers.declined), BLUE),),
            )
        )
    announcements = figures.announcements
    if announcements.sent:
        result.append(
            Panel(
                say(texts.FIGURES_ANNOUNCEMENTS),
                (
                    say(texts.FIGURES_REACHED),
                    say(texts.FIGURES_COMING),
                    say(texts.FIGURES_NOT_COMING),
                ),
                (
                    Series(
                        "",
                        (announcements.reached, announcements.coming, announcements.not_coming),
                        BLUE,
                    ),
                ),
            )
        )
    return result


def chart_png(figures: Figures, language: str) -> bytes:
    """The PNG; call it in a worker thread (drawing takes a few hundred milliseconds)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = chart_language(language)
    drawn = panels(figures, language)
    rows = max(len(drawn), 1)
    # Room per panel: its title, its bars, and a legend row when it has several series.
    heights = [
        1.0 + 0.45 * len(panel.labels) + 0.4 * (len(panel.series) > 1) for panel in drawn
    ] or [2.0]
    figure = Figure(figsize=(WIDTH_INCHES, sum(heights) + 0.8), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(chart_caption(figures.period, lang, short=True), fontsize=13)
    if not drawn:
        axes = figure.subplots()
        axes.axis("off")
        axes.text(0.5, 0.5, render(lang, texts.CHART_EMPTY), ha="center", va="center", fontsize=16)
    else:
        grid = figure.subplots(rows, 1, squeeze=False, height_ratios=heights)
        for panel, axes in zip(drawn, grid[:, 0], strict=True):
            _draw_panel(axes, panel, lang)
    output = io.BytesIO()
    figure.savefig(output, format="png", metadata={"Software": None})
    return output.getvalue()


def _draw_panel(axes: object, panel: Panel, language: str) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    positions = [float(index) for index in range(len(panel.labels))]
    count = len(panel.series)
    height = 0.8 if panel.stacked or count == 1 else 0.8 / count
    left = [0.0] * len(positions)
    for index, series in enumerate(panel.series):
        if panel.stacked:
            where = positions
        else:
            where = (
                [p - 0.4 + height * (index + 0.5) for p in positions] if count > 1 else positions
            )
        bars = axes.barh(
            where,
            series.values,
            height=height,
            left=left if panel.stacked else None,
            color=series.colour,
            label=series.name or None,
        )
        labels = [
            format_percent(value / 100, locale=babel_locale(language))
            if panel.percent
            # A stacked part without value has no bar to carry a number; a lone bar says 0.
            else f"{value:g}"
            if value or not panel.stacked
            else ""
            for value in series.values
        ]
        axes.bar_label(
            bars,
            labels=labels,
            label_type="center" if panel.stacked else "edge",
            padding=0 if panel.stacked else 3,
            fontsize=11,
        )
        if panel.stacked:
            left = [a + b for a, b in zip(left, series.values, strict=True)]
    axes.set_title(panel.title, loc="left", fontsize=13, fontweight="bold")
    axes.set_yticks(positions, panel.labels, fontsize=12)
    axes.invert_yaxis()  # the first label on top, as it is read
    axes.xaxis.set_visible(False)
    axes.margins(x=0.15)
    if panel.percent:
        axes.set_xlim(0, 115)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    if any(series.name for series in panel.series):
        # Below the bars, where the hidden x axis would be: clear of the title and the bars.
        axes.legend(
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            fontsize=10,
            frameon=False,
            ncols=min(len(panel.series), 2),
        )
