"""The figures as one tall PNG that reads on a phone: a few horizontal bar panels, large
letters, the number at the end of every bar.

`panels()` decides what is drawn (tested against a known history); `chart_png()` draws it
with matplotlib's object API (no pyplot: no global state, safe in a worker thread).
matplotlib is imported only when a chart is drawn: it costs start-up time and memory.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from babel.numbers import format_decimal, format_percent

from bot.appointments.words import KIND_NAMES
from bot.figures.queries import Figures
from bot.figures.words import ANSWER_GROUP_NAMES, chart_caption, language_name
from messages import RLM, is_right_to_left, render, texts
from messages.languages import SUPPORTED_LANGUAGES, babel_locale

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

# matplotlib's DejaVu Sans draws Latin and Cyrillic; matplotlib 3.11 shapes and joins
# Arabic script itself (libraqm), so with Noto Sans Arabic and Noto Sans Ethiopic beside
# it (fonts/, SIL Open Font License in fonts/OFL.txt) every language gets its own chart.
FONTS = Path(__file__).parent / "fonts"
FONT_FILES = ("NotoSansArabic-Regular.ttf", "NotoSansEthiopic-Regular.ttf")
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans Arabic", "Noto Sans Ethiopic"]  # first that has it
CHART_LANGUAGES = frozenset(SUPPORTED_LANGUAGES)
# Readers whose letters come from the Noto fonts, which are shipped without a bold face.
NOTO_LANGUAGES = frozenset({"ar", "fa", "fa_AF", "ps", "ti"})
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


def panels(figures: Figures, language: str) -> list[Panel]:
    """What the chart shows, in the reader's language; panels without data are left out."""
    lang = language

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


@functools.cache
def _fonts_registered() -> None:
    from matplotlib import font_manager

    for name in FONT_FILES:
        font_manager.fontManager.addfont(str(FONTS / name))


def font(size: float, *, bold: bool = False) -> FontProperties:
    """DejaVu Sans, falling back per glyph to the shipped Arabic and Ethiopic fonts; bold
    only in DejaVu Sans (the Noto fonts are shipped in one weight, to stay small)."""
    from matplotlib.font_manager import FontProperties

    _fonts_registered()
    if bold:
        return FontProperties(family=FONT_FAMILIES[0], size=size, weight="bold")
    return FontProperties(family=FONT_FAMILIES, size=size)


def _directed(text: str, language: str) -> str:
    """matplotlib lays a line out left to right unless told: a right-to-left mark first
    puts the number after an Arabic word on its left, as an Arabic reader expects."""
    return RLM + text if is_right_to_left(language) and not text.startswith(RLM) else text


def chart_png(figures: Figures, language: str) -> bytes:
    """The PNG in the reader's language, mirrored for right-to-left readers (labels on the
    right, bars growing to the left); call it in a worker thread (a few hundred ms)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = language if language in CHART_LANGUAGES else "nl"
    drawn = panels(figures, lang)
    rows = max(len(drawn), 1)
    # Room per panel: its title, its bars, and a legend row when it has several series.
    heights = [
        1.0 + 0.45 * len(panel.labels) + 0.4 * (len(panel.series) > 1) for panel in drawn
    ] or [2.0]
    figure = Figure(figsize=(WIDTH_INCHES, sum(heights) + 0.8), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(
        _directed(chart_caption(figures.period, lang, short=True), lang), fontproperties=font(13)
    )
    if not drawn:
        axes = figure.subplots()
        axes.axis("off")
        axes.text(0.5, 0.5, _directed(render(lang, texts.CHART_EMPTY), lang), ha="center",
                  va="center", fontproperties=font(16))  # fmt: skip
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
    mirrored = is_right_to_left(language)
    if panel.percent:
        axes.set_xlim(0, 115)
    if mirrored:
        # Right to left: the bars grow leftwards (set before the numbers are placed at
        # their ends), the labels stand on the right.
        axes.invert_xaxis()
        axes.yaxis.tick_right()
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
            label=_directed(series.name, language) or None,
        )
        labels = [
            format_percent(value / 100, locale=babel_locale(language))
            if panel.percent
            # A stacked part without value has no bar to carry a number; a lone bar says 0.
            else format_decimal(value, locale=babel_locale(language))
            if value or not panel.stacked
            else ""
            for value in series.values
        ]
        numbers = axes.bar_label(
            bars,
            labels=labels,
            label_type="center" if panel.stacked else "edge",
            padding=0 if panel.stacked else 3,
            fontproperties=font(11),
        )
        if mirrored and not panel.stacked:
            # matplotlib turns the number of an empty bar towards the axis on an inverted
            # axis ("0%" over its label on the right): it grows leftwards like the others.
            for number, value in zip(numbers, series.values, strict=True):
                if not value:
                    number.set_horizontalalignment("right")
        if panel.stacked:
            left = [a + b for a, b in zip(left, series.values, strict=True)]
    # Where a line of text starts for this reader.
    start: Literal["left", "right"] = "right" if mirrored else "left"
    bold = language not in NOTO_LANGUAGES
    axes.set_title(_directed(panel.title, language), loc=start, fontproperties=font(13, bold=bold))
    axes.set_yticks(
        positions,
        [_directed(label, language) for label in panel.labels],
        fontproperties=font(12),
    )
    axes.invert_yaxis()  # the first label on top, as it is read
    axes.xaxis.set_visible(False)
    axes.margins(x=0.15)
    for side in ("top", "bottom", "left" if mirrored else "right"):
        axes.spines[side].set_visible(False)
    if any(series.name for series in panel.series):
        # Below the bars, where the hidden x axis would be: clear of the title and the bars.
        axes.legend(
            loc="upper right" if mirrored else "upper left",
            bbox_to_anchor=(1.0 if mirrored else 0.0, 0.0),
            prop=font(10),
            frameon=False,
            ncols=min(len(panel.series), 2),
            alignment=start,
            markerfirst=not mirrored,
        )


def write_charts(folder: Path, name: str, figures: Figures, languages: Sequence[str]) -> list[Path]:
    """name-grafiek-<language>.png for each language, for `schakel export --chart-lang`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        path = folder / f"{name}-grafiek-{language}.png"
        path.write_bytes(chart_png(figures, language))
        written.append(path)
    return written
