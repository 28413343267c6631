"""gunicorn picks this file up when started from the repository root: `gunicorn` alone serves
feedbackloop. The settings live in the package (src/feedbackloop/gunicorn_conf.py), so an installed
deployment uses them as `gunicorn -c python:feedbackloop.gunicorn_conf`."""

from feedbackloop.gunicorn_conf import *  # the settings and hooks listed in its __all__
