"""The share guard: what a text may reveal to an audience, decided before it is saved.

Policy (docs/guard.md):

- secrets and card numbers: block, whatever the audience;
- personnummer, fødselsnummer, D-numbers, IBANs, strict labels (STRICTLY
  CONFIDENTIAL, STRENGT FORTROLIG, …) and the administrator's code names: block
  for the whole organisation or a public audience, warn for a narrower one
  (network, a board, a community, named people);
- other confidentiality labels (CONFIDENTIAL, KONFIDENTIELL, …): warn.

A block stops the write with the reason; a warning stops it unless the author
gives a reason to go on (`override_reason`), which `record_override` logs to
the `kollega.guard` logger. A detector that raises is logged and counts as a
warning: the guard never loses a write and never answers 500.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega import texts
from kollega.guard import detectors as d
from kollega.limits import GUARD_OVERRIDE_MAX_CHARS

logger = logging.getLogger("kollega.guard")

OK, WARN, BLOCK = "ok", "warn", "block"
_RANK = {OK: 0, WARN: 1, BLOCK: 2}
WIDE_AUDIENCES = {"organisation", "public"}
PRIVATE_AUDIENCES = {"private"}  # only the author sees it: nothing is shared
ERROR = "guard_error"  # the kind of a finding made when a detector failed

KIND_NAMES = {
    d.PERSONNUMMER: gettext_lazy("a Swedish personal identity number"),
    d.FODSELSNUMMER: gettext_lazy("a Norwegian national identity number"),
    d.CARD: gettext_lazy("a payment card number"),
    d.IBAN: gettext_lazy("a bank account number (IBAN)"),
    d.SECRET: gettext_lazy("a password, key or access token"),
    d.LABEL: gettext_lazy("a confidentiality label"),
    d.STRICT_LABEL: gettext_lazy("a strictly confidential label"),
    d.CODE_NAME: gettext_lazy("a code name"),
    ERROR: gettext_lazy("something the guard could not check"),
}


@dataclass
class Verdict:
    verdict: str
    findings: list = field(default_factory=list)


def action_for(kind: str, audience: str) -> str:
    """What one finding of `kind` means for a text going to `audience` (the policy table)."""
    wide = audience in WIDE_AUDIENCES
    if kind in (d.SECRET, d.CARD):
        return BLOCK
    if kind in (d.PERSONNUMMER, d.FODSELSNUMMER, d.IBAN, d.STRICT_LABEL, d.CODE_NAME):
        return BLOCK if wide else WARN
    return WARN


def code_names() -> list[str]:
    return list(getattr(settings, "KOLLEGA_GUARD_CODE_NAMES", []))


def check_text(text: str, audience: str) -> Verdict:
    """The verdict on `text` for `audience` and what was found, offsets into `text`."""
    findings = []
    if not text or audience in PRIVATE_AUDIENCES:
        return Verdict(OK, [])
    normal = d.normalise(text)
    detectors = [*d.DETECTORS, lambda t: d.code_names(t, code_names())]
    failed = False
    for detector in detectors:
        try:
            findings.extend(detector(normal))
        except Exception:
            logger.exception("guard detector %s failed", getattr(detector, "__name__", detector))
            failed = True
    findings.sort(key=lambda f: (f.start, f.end))
    verdict = OK
    for finding in findings:
        action = action_for(finding.kind, audience)
        if _RANK[action] > _RANK[verdict]:
            verdict = action
    if failed and verdict == OK:
        verdict = WARN
        findings.append(d.Finding(ERROR, 0, 0))
    return Verdict(verdict, findings)


def describe(findings) -> str:
    """What was found, in words, never the text itself."""
    names = []
    for finding in findings:
        name = str(KIND_NAMES.get(finding.kind, finding.kind))
        if name not in names:
            names.append(name)
    return ", ".join(names)


def record_override(person, audience: str, verdict: Verdict, reason: str) -> None:
    """A warned text was shared with a stated reason: logged, and in the audit trail."""
    logger.info(
        "guard override by %s to %s (%s): %s",
        getattr(person, "pk", None),
        audience,
        ",".join(sorted({f.kind for f in verdict.findings})),
        reason,
    )
    from kollega.audit.models import Action
    from kollega.audit.services import record

    kinds = sorted({f.kind for f in verdict.findings})
    record(
        Action.GUARD_OVERRIDE,
        actor=person,
        detail={"audience": audience, "kinds": kinds, "reason": reason},
    )


def record_block(person, audience: str, verdict: Verdict) -> None:
    """A write was stopped: logged, and in the audit trail (docs/audit.md)."""
    logger.info(
        "guard block for %s to %s (%s)",
        getattr(person, "pk", None),
        audience,
        ",".join(sorted({f.kind for f in verdict.findings})),
    )
    from kollega.audit.models import Action
    from kollega.audit.services import record

    kinds = sorted({f.kind for f in verdict.findings})
    # Durable: the blocked write's transaction is rolled back, the entry must stay.
    record(
        Action.GUARD_BLOCK,
        actor=person,
        detail={"audience": audience, "kinds": kinds},
        durable=True,
    )


def message_for(verdict: Verdict, audience: str) -> str | None:
    """What the author is told about `verdict` for `audience` (None when all is well):
    the words a blocked or warned write answers with, and the composer shows early."""
    if verdict.verdict == BLOCK:
        found = (f for f in verdict.findings if action_for(f.kind, audience) == BLOCK)
        return _(
            "This cannot be shared with this audience: it contains %(what)s. Remove it first."
        ) % {"what": describe(found)}
    if verdict.verdict == WARN:
        return _(
            "This seems to contain %(what)s. Remove it, or give a reason"
            " for sharing it with this audience."
        ) % {"what": describe(verdict.findings)}
    return None


def preview(text: str, audience: str) -> tuple[str, str | None]:
    """The verdict and message a write of `text` to `audience` would get, changing nothing
    and recording nothing: the composer's warning before the author presses Post."""
    try:
        verdict = check_text(text or "", audience)
    except Exception:  # a hint is not worth an error page
        logger.exception("guard failed")
        return OK, None
    return verdict.verdict, message_for(verdict, audience)


def screen(person, text: str, audience: str, override_reason: str | None = None) -> Verdict:
    """Stop a write that the guard blocks, or warns about without `override_reason`.

    Raises a ValidationError (code `guard_block` or `guard_warn`) naming what was
    found; with a reason a warned write goes on and the override is recorded.
    """
    try:
        verdict = check_text(text or "", audience)
    except Exception:  # the guard never costs a write
        logger.exception("guard failed")
        verdict = Verdict(WARN, [d.Finding(ERROR, 0, 0)])
    if verdict.verdict == BLOCK:
        record_block(person, audience, verdict)
        raise ValidationError(message_for(verdict, audience), code="guard_block")
    if verdict.verdict == WARN:
        reason = texts.clean(override_reason, one_line=True)[:GUARD_OVERRIDE_MAX_CHARS]
        if not reason:
            raise ValidationError(message_for(verdict, audience), code="guard_warn")
        record_override(person, audience, verdict, reason)
    return verdict
