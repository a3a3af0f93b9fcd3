"""A bar chart drawn on the server as SVG: no script, so nothing for the CSP to block."""

from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 16, 28
# A phone's chart is drawn for its own width (about 330 px): the twelve months fit, labels stay readable,
# nothing scrolls sideways (a scaled-down desktop chart would shrink its text below 7 px).
NARROW_WIDTH, NARROW_LEFT = 330, 34


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    css: str
    title: str


def _nice_max(value: int) -> int:
    """The axis top: the smallest 2, 4, 6, 8 or 10 × 10^n at or above the largest bar (its half is whole)."""
    step = 1
    while True:
        for m in (2, 4, 6, 8, 10):
            if m * step >= value:
                return m * step
        step *= 10


SERIES = (("received", "chart-received", _("tiếp nhận")), ("resolved", "chart-resolved", _("đã giải quyết")))


def month_bars(months, series=SERIES, *, width=WIDTH, left=LEFT):
    """Bars for each month (grouped by series), the axis maximum and the x of each month's label."""
    WIDTH, LEFT = width, left  # noqa: N806 - the drawing below reads them like the module's constants
    top = _nice_max(max((getattr(m, name) for m in months for name, _, _ in series), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(months), 1)
    bar_w = min(group * 0.8 / len(series), 40)
    bars, labels = [], []
    for i, month in enumerate(months):
        start = LEFT + i * group + (group - bar_w * len(series)) / 2
        for j, (name, css, noun) in enumerate(series):
            value = getattr(month, name)
            height = plot_h * value / top
            bars.append(
                Bar(
                    x=round(start + j * bar_w, 1),
                    y=round(TOP + plot_h - height, 1),
                    width=round(bar_w - 2, 1),
                    height=round(height, 1),
                    value=value,
                    css=css,
                    title=_("%(month)s: %(value)s hồ sơ %(noun)s") % {"month": month.label, "value": value, "noun": noun},
                )
            )
        labels.append({"x": round(LEFT + i * group + group / 2, 1), "text": month.label})
    # The bars and labels as markup, made here: a page draws two charts of 24 bars, and through the template
    # each number was a node of its own (most of the page's rendering). Numbers print unlocalised (SVG's dot).
    marks = format_html_join(
        "\n", '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title></rect>',
        ((b.x, b.y, b.width, b.height, b.css, b.title) for b in bars),
    ) + format_html_join(
        "\n", '\n<text x="{}" y="{}" class="chart-label" text-anchor="middle">{}</text>',
        ((label["x"], HEIGHT - 10, label["text"]) for label in labels),
    )
    return {
        "bars": bars,
        "labels": labels,
        "marks": marks,
        "top": top,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "plot_top": TOP,
        "baseline": HEIGHT - BOTTOM,
        "mid": TOP + (HEIGHT - TOP - BOTTOM) / 2,
        "half": top // 2,
        "label_y": HEIGHT - 10,
        "right": WIDTH - RIGHT,
    }
