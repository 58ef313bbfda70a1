import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
application = get_wsgi_application()

# Templates, URLs and catalogues ready before the first colleague arrives, kept
# out of the garbage collector's full passes, and short GIL turns for the worker's
# threads (see kollega.web.warmup).
from kollega.web.warmup import settle, share_the_gil, warm  # noqa: E402

warm()
settle()
share_the_gil()
