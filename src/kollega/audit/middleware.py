"""Keep the request at hand for the audit trail's signal receivers (see `context`)."""

from kollega.audit import context, services


class AuditContextMiddleware:
    """Entries recorded while a request runs name its signed-in person and address.

    After the response, entries that must outlive a rolled-back write (a blocked
    write) are written (`services.flush_pending`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with context.acting_request(request):
            try:
                return self.get_response(request)
            finally:
                services.flush_pending()
