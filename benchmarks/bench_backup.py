"""The restore drill (SECURITY.md G1) at field scale: bench_reports' 100,000
people and 1,000,000 meetings, `lotse backup` from SQLite, `lotse restore`
into a new PostgreSQL database (with --postgres the other way round), and a
second backup of the restored database that must list the same rows and
checksums per table.

    .venv/bin/python benchmarks/bench_backup.py [--postgres]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bench_pool  # same settings and database set-up
import bench_reports
import bench_tandems


def _psql(statement: str, *, check: bool) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement], check=check)


def _lotse(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lotse", *args], env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="back up PostgreSQL instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = bench_pool.configure(args, data_dir)
        import django

        django.setup()
        from django.db import connection
        from django_scopes import scopes_disabled

        from lotse.core.backup import read_manifest, write_backup

        target_name = f"lotse_restore_{os.getpid()}"
        try:
            started = time.perf_counter()
            with scopes_disabled():
                user, _tandem = bench_tandems.build(20_000, 50)
                bench_reports.grow(user, 20_000)
            print(f"{connection.vendor}: built in {time.perf_counter() - started:.0f} s")

            archive = Path(data_dir) / "lotse-backup.zip"
            summary = write_backup(archive)
            print(
                f"  backup     {summary.seconds:6.1f} s   {summary.rows:,} records in"
                f" {summary.tables} tables, {archive.stat().st_size / 1e6:.0f} MB"
            )
            env = {**os.environ, "LOTSE_DOCUMENTS_DIR": str(Path(data_dir) / "restored")}
            if connection.vendor == "sqlite":
                _psql(f"CREATE DATABASE {target_name}", check=True)
                env["DATABASE_URL"] = bench_pool.PG_URL + target_name
            else:
                env["DATABASE_URL"] = f"sqlite:///{Path(data_dir) / 'restored.sqlite3'}"
            seconds = _lotse("restore", str(archive), env=env)
            target = env["DATABASE_URL"].split(":", 1)[0]
            print(f"  restore    {seconds:6.1f} s   into {target}, migrations included")
            again = Path(data_dir) / "again.zip"
            _lotse("backup", str(again), "-v", "0", env=env)
            before, after = read_manifest(archive)["tables"], read_manifest(again)["tables"]
            differ = [
                label
                for label in before
                if label != "core.auditentry"
                and (before[label]["rows"], before[label]["sha256"])
                != (after[label]["rows"], after[label]["sha256"])
            ]
            print(f"  tables that differ after the restore: {len(differ)} {differ or ''}")
        finally:
            bench_pool.drop(pg_name)
            _psql(f"DROP DATABASE IF EXISTS {target_name}", check=False)


if __name__ == "__main__":
    main()
