"""Who is acting, for entries recorded far from the request (model signals).

`AuditContextMiddleware` keeps the current request here for the length of the
request; `kollega.cli.main` names the operator for a command. Signal receivers
read them to fill an entry's actor and client address. Nothing here imports
Django's models, so the CLI may set the operator before Django is set up.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_request: ContextVar = ContextVar("kollega_audit_request", default=None)
_operator: ContextVar = ContextVar("kollega_audit_operator", default="")
# Entries that must outlive a rolled-back transaction (a blocked write, a failed
# sign-in): kept here until no transaction is open (services.flush_pending).
pending: ContextVar = ContextVar("kollega_audit_pending", default=None)


def current_request():
    return _request.get()


def current_operator() -> str:
    return _operator.get()


@contextmanager
def acting_request(request):
    """Entries recorded inside the block take their actor and address from `request`."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def acting_operator(name: str):
    """Entries recorded inside the block with no signed-in person name operator `name`."""
    token = _operator.set(name)
    try:
        yield
    finally:
        _operator.reset(token)
