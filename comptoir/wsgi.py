import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
application = get_wsgi_application()
# Everything loaded so far (modules, settings, URLs, models) lives as long as the process.
# Frozen out of the collector's generations, it is no longer walked by the full collections
# that pricing a large cart triggers (bench/README.md, "gc.freeze()"). Under a pre-forking
# server it also keeps those pages shared with the workers.
gc.freeze()
