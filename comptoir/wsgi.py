import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
application = get_wsgi_application()
# Everything loaded so far (modules, settings, URLs, models) lives as long as the process.
# Frozen out of the collector's generations, it is no longer walked by every full
# collection, which pricing a large cart triggers (bench/README.md: +20 to 40 % prices/s).
# Under a pre-forking server it also keeps those pages shared with the workers.
gc.freeze()
