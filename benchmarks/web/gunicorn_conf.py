"""One gunicorn configuration for the bare view and the app: 2 sync workers, no access log."""

import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8200")
workers = 2
worker_class = "sync"
timeout = 120
accesslog = None
errorlog = "-"
loglevel = "warning"
