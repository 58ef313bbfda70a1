import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
application = get_wsgi_application()

# Templates, URLs and catalogues ready before the first colleague arrives.
from kollega.web.warmup import warm  # noqa: E402

warm()
