"""`manage.py rqworker` (TASKS_BACKEND=rq) runs jobs with django-tasks-rq's job class.

With rq's own class the worker calls the `Task` object itself and every task fails with
"'Task' object is not callable": no order confirmation ever left (found by the scale-out
test). Settings are read once per process, so a process of its own answers.
"""

import os
import subprocess
import sys

from tests.scaleout.stack import ROOT

PROBE = """
import django
django.setup()
from django_rq.jobs import get_job_class
from django_rq.queues import get_queue
print(get_job_class().__module__, get_job_class().__name__)
print(get_queue("default").job_class.__module__)
"""


def test_the_rq_worker_runs_django_tasks_jobs(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if key in {"PATH", "HOME"}},
        "DJANGO_SETTINGS_MODULE": "comptoir.settings",
        "TASKS_BACKEND": "rq",
        "REDIS_URL": "redis://127.0.0.1:6379/15",  # not connected to by this probe
        "COMPTOIR_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [
        "django_tasks_rq.backend Job",
        "django_tasks_rq.backend",
    ]
