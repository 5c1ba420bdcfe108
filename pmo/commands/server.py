"""`pmo demo` and `pmo serve`: run the product."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    import django

    django.setup()


def _gunicorn(host: str, port: int, workers: int, threads: int) -> int:
    from gunicorn.app.base import BaseApplication

    from pmo.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", os.environ.get("PMO_ACCESS_LOG") or None)
            self.cfg.set("timeout", 120)
            # Keep idle connections open longer than a client or proxy waits between requests: with gunicorn's
            # 2 s default a client reusing a connection as the server closes it gets no response (bench/load
            # saw 20 such errors in 7,448 requests). A proxy in front should close idle ones first (nginx: 60 s).
            self.cfg.set("keepalive", int(os.environ.get("PMO_KEEPALIVE_SECONDS", "75")))

        def load(self) -> Any:
            return application

    Server().run()
    return 0


def _demo_secret_key(data_dir: Path) -> str:
    """A random key kept beside the demo database, so sessions survive restarts without a default key."""
    path = data_dir / "demo-secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def run_demo(args: argparse.Namespace) -> int:
    from pmo.paths import data_dir

    # Before Django loads its settings, which read SECRET_KEY once.
    os.environ.setdefault("SECRET_KEY", _demo_secret_key(data_dir()))
    _django_setup()
    from django.core.management import call_command

    from pmo.demo import DEMO_LOGINS, demo_needed, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    if demo_needed():
        print("Loading the demo portfolio (first run)…", flush=True)
        load_demo()
    url = f"http://{args.host}:{args.port}/"
    print(f"\npmo is running at {url}\n\nDemo sign-ins (password for all: demo):")
    for username, role, name in DEMO_LOGINS:
        print(f"  {username:<12} {role:<22} {name}")
    print("\nPress Ctrl+C to stop.\n", flush=True)
    return _gunicorn(args.host, args.port, workers=2, threads=4)


def run_serve(args: argparse.Namespace) -> int:
    _django_setup()
    from django.conf import settings

    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        print(
            "pmo serve: refusing to start with the built-in development SECRET_KEY while DEBUG is off.\n"
            "Set SECRET_KEY in the environment to a long random value.",
            file=sys.stderr,
        )
        return 2
    return _gunicorn(args.host, args.port, workers=args.workers, threads=args.threads)


def add_parsers(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="migrate, load the demo portfolio if the database is empty, and serve",
        description="Migrate the database, load the demo portfolio the first time, print the sign-ins and serve.",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    demo.set_defaults(handler=run_demo)

    serve = subparsers.add_parser(
        "serve",
        help="run the production server on the configured database",
        description="Serve pmo with gunicorn on the database in DATABASE_URL. Run 'pmo manage migrate' first.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    serve.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    serve.set_defaults(handler=run_serve)
