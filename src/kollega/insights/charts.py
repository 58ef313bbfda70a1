"""Charts drawn on the server as accessible inline SVG: no script, no build step.

Hand-written rather than a library: the two shapes the dashboard needs (rows of
horizontal bars, and a shaded matrix) take a page of arithmetic, while the
Python SVG libraries (pygal, matplotlib) bring inline styles and scripts the
Content Security Policy forbids, fonts and sizes of their own, and locale
handling we would have to undo. Every number written into an SVG attribute is
a plain float from here, and the template writes them with `{% localize off %}`,
so a decimal comma (sv, nb) never reaches a coordinate.
"""

from kollega.insights.panels import Chart

WIDTH = 560
LABEL_WIDTH = 170
VALUE_WIDTH = 48  # room for the value written after each bar
BAR = 12
ROW_GAP = 8
COLOURS = ["#2f6f4f", "#8aa4c8", "#c47f2c", "#7a4f9a"]
LABEL_CHARS = 26


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def bars(chart: Chart) -> dict:
    """Geometry for horizontal bars: one group per shown row, one bar per series."""
    shown = [row for row in chart.rows if not row.hidden]
    top = max([_number(v) for row in shown for v in row.values] + [0]) or 1.0
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = BAR * len(chart.series) + ROW_GAP
    rows, y = [], ROW_GAP / 2
    for row in shown:
        items = []
        for j, value in enumerate(row.values):
            width = round(span * _number(value) / top, 1)
            items.append(
                {
                    "x": LABEL_WIDTH,
                    "y": round(y + j * BAR, 1),
                    "width": width,
                    "height": BAR - 2,
                    "fill": COLOURS[j % len(COLOURS)],
                    "value": value,
                    "series": chart.series[j],
                    "text_x": round(LABEL_WIDTH + width + 4, 1),
                    "text_y": round(y + j * BAR + BAR - 3, 1),
                }
            )
        label_y = round(y + BAR * len(chart.series) / 2 + 3, 1)
        rows.append({"label": _short(row.label), "label_y": label_y, "bars": items})
        y += group
    legend = [
        {"name": name, "fill": COLOURS[j % len(COLOURS)]} for j, name in enumerate(chart.series)
    ]
    return {
        "width": WIDTH,
        "height": round(max(y, group), 1),
        "rows": rows,
        "kind": "bars",
        "legend": legend,
    }


def matrix(chart: Chart) -> dict:
    """Geometry for a matrix: a square per (row, column), darker for larger values."""
    shown = [row for row in chart.rows if not row.hidden]
    columns = len(chart.series)
    cell = min(40, (WIDTH - LABEL_WIDTH) / max(columns, 1))
    top = max([_number(v) for row in shown for v in row.values] + [0]) or 1.0
    head = 90  # room for the column labels, written at an angle
    cells, labels = [], []
    for i, row in enumerate(shown):
        y = head + i * cell
        labels.append({"label": _short(row.label), "y": round(y + cell / 2 + 4, 1)})
        for j, value in enumerate(row.values):
            if value is None:
                continue
            cells.append(
                {
                    "x": round(LABEL_WIDTH + j * cell, 1),
                    "y": round(y, 1),
                    "size": round(cell - 2, 1),
                    "opacity": round(0.08 + 0.92 * _number(value) / top, 3),
                    "value": value,
                    "row": row.label,
                    "column": chart.series[j],
                    "text_x": round(LABEL_WIDTH + j * cell + cell / 2 - 1, 1),
                    "text_y": round(y + cell / 2 + 3, 1),
                }
            )
    column_labels = [
        {"label": _short(name), "x": round(LABEL_WIDTH + j * cell + cell / 2, 1), "y": head - 6}
        for j, name in enumerate(chart.series)
    ]
    return {
        "width": WIDTH,
        "height": round(head + len(shown) * cell + 4, 1),
        "cells": cells,
        "row_labels": labels,
        "column_labels": column_labels,
        "kind": "matrix",
    }


def draw(chart: Chart) -> dict:
    return matrix(chart) if chart.kind == "matrix" else bars(chart)
