"""SECURITY.md E4: a process killed in the middle of a 10,000-row import
leaves no imported row behind, and the database intact."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from benchmarks.bench_imports import workbook


def _env(tmp_path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lotse.settings",
        "SECRET_KEY": "import-test-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lotse.sqlite3'}",
        "LOTSE_DATA_DIR": str(tmp_path),
        "LOTSE_DOCUMENTS_DIR": str(tmp_path / "documents"),
        "LANGUAGE_CODE": "en",
    }


def _lotse(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "lotse", *args], env=env, check=True, capture_output=True, text=True
    )


def test_a_killed_import_leaves_nothing_behind(tmp_path):
    env = _env(tmp_path)
    _lotse(env, "migrate", "-v", "0")
    _lotse(env, "setup_organisation", "Lindenau", "--site", "Lindenau",
           "--admin-email", "admin@example.org", "--admin-name", "Admin")  # fmt: skip
    path = tmp_path / "teilnehmende.xlsx"
    path.write_bytes(workbook(10_000))

    with subprocess.Popen(
        [sys.executable, "-m", "lotse", "import_people", str(path), "--actor",
         "admin@example.org", "--site", "Lindenau", "-v", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as process:  # fmt: skip
        try:
            # The first thousand people are written (in the open transaction).
            line = process.stdout.readline()
            assert line.startswith("row 1000"), (line, process.stderr.read())
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(tmp_path / "lotse.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM people_person").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM people_personrole").fetchone() == (0,)
        assert db.execute("SELECT status FROM imports_importrun").fetchall() == [("draft",)]

    # The same file imports completely afterwards.
    started = time.monotonic()
    result = _lotse(env, "import_people", str(path), "--actor", "admin@example.org",
                    "--site", "Lindenau")  # fmt: skip
    assert "10000 new" in result.stdout, result.stdout
    assert time.monotonic() - started < 600
    with sqlite3.connect(tmp_path / "lotse.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM people_person").fetchone() == (10_000,)
