"""Bar charts drawn on the server as inline SVG (no script, no build step)."""

from kollega.web.dates import short_date

WIDTH, HEIGHT, GAP, LABEL = 480, 160, 8, 18


def weekly_bars(weeks) -> dict:
    """Geometry for paired bars per week: questions asked and questions answered."""
    top = max([w.asked for w in weeks] + [1])
    slot = WIDTH / max(len(weeks), 1)
    bar = (slot - GAP) / 2
    bars = []
    for i, week in enumerate(weeks):
        x = i * slot + GAP / 2
        for j, (value, css) in enumerate(((week.asked, "asked"), (week.answered, "answered"))):
            height = round((HEIGHT - LABEL) * value / top, 1)
            bars.append(
                {
                    "x": round(x + j * bar, 1),
                    "y": round(HEIGHT - LABEL - height, 1),
                    "width": round(bar - 1, 1),
                    "height": height,
                    "value": value,
                    "css": css,
                }
            )
        label = short_date(week.start, year=False)
        bars[-1]["label"] = {"x": round(x + bar, 1), "y": HEIGHT - 4, "text": label}
    return {"width": WIDTH, "height": HEIGHT, "bars": bars}
