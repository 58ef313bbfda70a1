"""Line diffs between two texts and a three-way merge, on plain strings.

Nothing here touches the database; the services and views call these and the
templates escape every line (a diff never renders a page's HTML).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 3
CONFLICT_START = "<<<<<<< "
CONFLICT_MIDDLE = "======="
CONFLICT_END = ">>>>>>> "


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "equal", "insert", "delete" or "skip" (unchanged lines left out)
    text: str
    old_number: int | None = None
    new_number: int | None = None


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").split("\n")


def diff_lines(old: str, new: str, context: int = CONTEXT) -> list[DiffLine]:
    """What changed from `old` to `new`, line by line, with `context` unchanged lines
    around each change; a run of unchanged lines left out is one "skip" line.
    Empty when the texts are the same."""
    a, b = _lines(old), _lines(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    out: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(context):
        if out or group[0][1] > 0:
            out.append(DiffLine("skip", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("equal", a[i], i + 1, j1 + i - i1 + 1) for i in range(i1, i2)]
                continue
            out += [DiffLine("delete", a[i], old_number=i + 1) for i in range(i1, i2)]
            out += [DiffLine("insert", b[j], new_number=j + 1) for j in range(j1, j2)]
    if out and group[-1][2] < len(a):
        out.append(DiffLine("skip", ""))
    return out


def diff_counts(lines: list[DiffLine]) -> tuple[int, int]:
    """(lines added, lines removed) in a diff."""
    added = sum(1 for line in lines if line.kind == "insert")
    return added, sum(1 for line in lines if line.kind == "delete")


@dataclass
class Merge:
    text: str
    conflicts: int


def _changes(base: list[str], other: list[str], side: str):
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [
        (i1, i2, other[j1:j2], side)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _overlap(g1: int, g2: int, i1: int, i2: int) -> bool:
    """Whether a change of base lines [i1, i2) touches a group spanning [g1, g2).

    An insertion (an empty range) next to or inside another change is ambiguous
    about order, so it counts as touching: better a marked conflict than a guess."""
    if i1 == i2 or g1 == g2:
        return g1 <= i1 <= g2 or i1 <= g1 <= i2
    return i1 < g2 and g1 < i2


def _apply(base: list[str], start: int, end: int, changes) -> list[str]:
    out, pos = [], start
    for i1, i2, lines, _side in changes:
        out += base[pos:i1] + lines
        pos = i2
    return out + base[pos:end]


def merge_texts(base: str, mine: str, theirs: str, theirs_label: str = "theirs") -> Merge:
    """Three-way merge: changes from base to `mine` and from base to `theirs` that
    touch different lines are both applied; where both changed the same lines
    differently, both versions are kept between conflict markers:

        <<<<<<< yours
        …my lines…
        =======
        …their lines…
        >>>>>>> theirs_label
    """
    b = _lines(base)
    changes = sorted(
        _changes(b, _lines(mine), "mine") + _changes(b, _lines(theirs), "theirs"),
        key=lambda c: (c[0], c[1]),
    )
    out: list[str] = []
    conflicts = 0
    pos = 0
    index = 0
    while index < len(changes):
        group = [changes[index]]
        g1, g2 = changes[index][0], changes[index][1]
        index += 1
        while index < len(changes) and _overlap(g1, g2, changes[index][0], changes[index][1]):
            group.append(changes[index])
            g2 = max(g2, changes[index][1])
            index += 1
        out += b[pos:g1]
        mine_part = _apply(b, g1, g2, [c for c in group if c[3] == "mine"])
        theirs_part = _apply(b, g1, g2, [c for c in group if c[3] == "theirs"])
        sides = {c[3] for c in group}
        if len(sides) == 1 or mine_part == theirs_part:
            out += mine_part if "mine" in sides else theirs_part
        else:
            conflicts += 1
            out += [CONFLICT_START + "yours", *mine_part, CONFLICT_MIDDLE]
            out += [*theirs_part, CONFLICT_END + theirs_label]
        pos = g2
    out += b[pos:]
    return Merge("\n".join(out), conflicts)


def has_conflict_markers(text: str) -> bool:
    """True if `text` still holds a conflict block left by `merge_texts`."""
    lines = _lines(text)
    starts = any(line.startswith(CONFLICT_START) for line in lines)
    return starts and CONFLICT_MIDDLE in lines and any(l.startswith(CONFLICT_END) for l in lines)  # noqa: E741
