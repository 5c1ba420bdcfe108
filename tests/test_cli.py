"""The `pmo` command: version, help on every subcommand, token creation, and the server's refusal of the
development secret key."""

import os
import subprocess
import sys

import pytest

from pmo.cli import build_parser, main
from pmo.core.services import token_authenticate

PMO = [sys.executable, "-m", "pmo"]


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PMO, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **env}, check=False
    )


def test_version():
    result = run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, "pmo 0.1.0")


def test_every_subcommand_has_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"demo", "serve", "token", "manage", "schedule", "import", "select"} <= set(commands)
    for name in ("demo", "serve", "token"):
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0


def test_token_create_prints_a_working_token(roles, capsys):
    assert main(["token", "create", "pm", "--name", "ci"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("pmo_")
    assert token_authenticate(token) == roles[next(r for r in roles if r.value == "Project manager")]


def test_token_create_for_unknown_user_fails_cleanly(db, capsys):
    assert main(["token", "create", "ghost"]) == 2
    assert capsys.readouterr().err.strip() == "pmo token create: no user named 'ghost'"


def test_serve_refuses_the_development_secret_key(tmp_path):
    env = {"DEBUG": "0", "PMO_DATA_DIR": str(tmp_path)}
    env_without_key = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [*PMO, "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env_without_key, **env},
        check=False,
    )
    assert result.returncode == 2
    assert "refusing to start with the built-in development SECRET_KEY" in result.stderr


def test_manage_runs_django_commands(tmp_path):
    result = run("manage", "check", PMO_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")},
        "SECRET_KEY": "a-long-random-production-key-" + "x7Q2pL9vR4sT8wY1zA6bC3dE5fG0hJ" * 2,
        "ALLOWED_HOSTS": "pmo.example.org",
        "HTTPS": "1",
        "PMO_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pmo", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
