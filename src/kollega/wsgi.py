import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
application = get_wsgi_application()

# Templates, URLs and catalogues ready before the first colleague arrives, and
# kept out of the garbage collector's full passes (see kollega.web.warmup).
from kollega.web.warmup import settle, warm  # noqa: E402

warm()
settle()
