"""A dependency-free SVG line chart for benchmark reports (README figures, results/).

Reply latency spans milliseconds to tens of seconds once a configuration is past its capacity,
so the y axis is logarithmic; a dashed line marks the target.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

WIDTH, HEIGHT = 800, 400
LEFT, RIGHT, TOP, BOTTOM = 70, 270, 40, 50  # the legend sits in RIGHT
COLOURS = ("#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6c4f9e", "#555555")


def _y_ticks(low: float, high: float) -> list[float]:
    ticks = []
    exponent = math.floor(math.log10(low))
    while 10**exponent <= high * 1.0001:
        for mantissa in (1, 2, 5):
            value = mantissa * 10**exponent
            if low * 0.9999 <= value <= high * 1.0001:
                ticks.append(float(value))
        exponent += 1
    return ticks


def _x_ticks(high: float) -> list[float]:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if high / s <= 8)
    return [float(step * i) for i in range(int(high // step) + 1)]


def _label(value: float) -> str:
    return f"{value / 1000:g} s" if value >= 1000 else f"{value:g} ms"


def latency_chart(
    series: Mapping[str, Sequence[tuple[float, float]]],
    *,
    title: str,
    x_label: str,
    target_ms: float | None = None,
) -> str:
    """SVG text: one line per series of (x, latency in ms) points, log-scale latency axis."""
    points = [p for values in series.values() for p in values if p[1] > 0]
    if not points:
        raise ValueError("nothing to plot")
    latencies = [p[1] for p in points] + ([target_ms] if target_ms else [])
    low = 10 ** math.floor(math.log10(min(latencies)))
    high = 10 ** math.ceil(math.log10(max(latencies)))
    x_high = max(p[0] for p in points) * 1.05 or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + plot_w * x / x_high

    def sy(ms: float) -> float:
        span = math.log10(high) - math.log10(low)
        return TOP + plot_h * (1 - (math.log10(ms) - math.log10(low)) / span)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in _y_ticks(low, high):
        y = sy(tick)
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
        )
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_label(tick)}</text>')
    for tick in _x_ticks(x_high):
        x = sx(tick)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#f0f0f0"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{tick:g}</text>'
        )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>'
    )
    out.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 10}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
    )
    legend_y = TOP + 10
    if target_ms:
        y = sy(target_ms)
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#000" stroke-dasharray="6 4"/>'
        )
        out.append(
            f'<text x="{LEFT + plot_w + 10}" y="{legend_y + 4}">target {_label(target_ms)}</text>'
        )
        legend_y += 20
    for index, (name, values) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        plotted = sorted((x, ms) for x, ms in values if ms > 0)
        if not plotted:
            continue
        path = " ".join(f"{sx(x):.1f},{sy(ms):.1f}" for x, ms in plotted)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out.extend(
            f'<circle cx="{sx(x):.1f}" cy="{sy(ms):.1f}" r="3" fill="{colour}"/>'
            for x, ms in plotted
        )
        out.append(
            f'<rect x="{LEFT + plot_w + 10}" y="{legend_y - 6}" width="12" height="4" '
            f'fill="{colour}"/>'
        )
        out.append(f'<text x="{LEFT + plot_w + 28}" y="{legend_y}">{escape(name)}</text>')
        legend_y += 18
    out.append("</svg>")
    return "\n".join(out) + "\n"
