"""Server-side SVG bar charts for the admin dashboard: no script, no external service, and accessible
(the chart is an image named by its title, and every bar carries its own ``<title>`` as a tooltip)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 720
HEIGHT = 220
_TOP, _BOTTOM, _LEFT, _RIGHT = 16, 28, 64, 8
_PLOT_W, _PLOT_H = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
# Every value goes through Markup.format, which escapes it.
_OPEN = Markup(
    '<svg class="chart" id="{}" viewBox="0 0 {} {}" role="img" aria-label="{}: {} in total">'
    '<title>{}</title><line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
    '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>'
    '<text class="tick" x="{}" y="{}" text-anchor="end">0</text>'
)
_BAR = Markup(
    '<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {}</title></rect>'
)
_LABEL = Markup('<text class="tick" x="{:.1f}" y="{}" text-anchor="middle">{}</text>')


@dataclass(frozen=True)
class Bar:
    label: str
    short: str
    value: float


def bar_chart(
    bars: Sequence[Bar], *, title: str, chart_id: str, formatted: Callable[[float], str] = str
) -> Markup:
    """One bar per point, scaled to the largest value; the axis shows 0 and the maximum, and every
    seventh bar and the last are labelled with their short label."""
    peak = max((bar.value for bar in bars), default=0) or 1
    step = _PLOT_W / max(len(bars), 1)
    base = _TOP + _PLOT_H
    total = formatted(sum(bar.value for bar in bars))
    parts = [
        _OPEN.format(
            chart_id,
            WIDTH,
            HEIGHT,
            title,
            total,
            title,
            _LEFT,
            base,
            WIDTH - _RIGHT,
            base,
            _LEFT - 6,
            _TOP + 4,
            formatted(peak),
            _LEFT - 6,
            base,
        )
    ]
    for index, bar in enumerate(bars):
        height = _PLOT_H * bar.value / peak
        x = _LEFT + index * step
        parts.append(
            _BAR.format(x + step * 0.15, base - height, step * 0.7, height, bar.label, formatted(bar.value))
        )
        last = len(bars) - 1
        # the last bar is always labelled; a weekly label too close to it would overlap
        if index == last or (index % 7 == 0 and last - index >= 4):
            parts.append(_LABEL.format(x + step / 2, HEIGHT - 8, bar.short))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
