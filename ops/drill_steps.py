"""The drill's steps at one scale, in the order docs/operations.md gives them to the operator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

import drill_portal as portal
from drill_cluster import Cluster, free_port
from drill_s3 import bucket_create_versioned, bucket_restore_to

ROOT = portal.ROOT


def _target_time() -> datetime:
    """T: the next whole second, once it has passed (the object store dates versions to the second)."""
    now = datetime.now(timezone.utc)
    target = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((target - now).total_seconds() + 0.05)
    return target


class Drill:
    def __init__(self, *, work: Path, cluster: Cluster, bucket: str):
        self.work, self.cluster, self.bucket = work, cluster, bucket
        self.redis = self.s3 = self.server = None
        self.figures: dict = {}
        self.checks: dict[str, dict] = {}

    # --- services ----------------------------------------------------------------------------------

    def start_services(self) -> None:
        """The cluster with its stanza, a Redis (broker and cache) and an S3 server of the drill's own."""
        from tests.support.redis_server import RedisServer
        from tests.support.s3 import S3Server, s3_client

        self.cluster.create()
        self.redis = RedisServer(port=free_port(taken={self.cluster.port}), log_path=self.work / "redis.log")
        self.redis.start()
        self.s3 = S3Server(free_port(taken={self.cluster.port, self.redis.port}))
        self.s3.start()
        self.s3_client = s3_client(self.s3.endpoint)
        bucket_create_versioned(self.s3_client, self.bucket)
        portal.django_setup({
            "DATABASE_URL": self.cluster.url, "CELERY_BROKER_URL": self.redis.url(0),
            "CACHE_URL": f"rediscache://127.0.0.1:{self.redis.port}/1",
            "AWS_STORAGE_BUCKET_NAME": self.bucket, "AWS_S3_ENDPOINT_URL": self.s3.endpoint,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "EMAIL_URL": "dummymail://",
            "CAPTCHA_TEST_MODE": "1", "DJANGO_MEDIA_ROOT": str(self.work / "media"), "DJANGO_LOG_LEVEL": "WARNING",
        })

    def manage(self, *args: str) -> str:
        """A management command as the operator runs it, in a process of its own on the drill's services."""
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=dict(os.environ),
                              capture_output=True, text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {done.stderr[-3000:]}")
        return done.stdout

    def start_portal(self) -> None:
        from tests.support.gunicorn import GunicornServer

        taken = {self.cluster.port, self.redis.port, self.s3._port}
        self.server = GunicornServer(env={**os.environ, "DJANGO_CONN_MAX_AGE": "600"},
                                     log_path=self.work / "gunicorn.log", port=free_port(taken=taken))
        self.server.start()
        while requests.get(f"{self.server.url}/healthz", timeout=10).status_code != 200:
            time.sleep(0.05)

    def cleanup(self) -> None:
        for service in (self.server, self.redis, self.s3):
            if service is not None:
                try:
                    service.stop()
                except Exception as exc:  # cleanup goes on to the next service
                    print(f"drill cleanup: {service!r}: {exc}", file=sys.stderr)
        portal.close_connections()
        self.cluster.destroy()
        import shutil

        shutil.rmtree(self.work, ignore_errors=True)

    # --- the drill ---------------------------------------------------------------------------------

    def timed(self, name: str, step, *args, **kwargs):
        started = time.monotonic()
        result = step(*args, **kwargs)
        self.figures.setdefault("seconds", {})[name] = round(time.monotonic() - started, 2)
        print(f"  {name}: {self.figures['seconds'][name]} s", flush=True)
        return result

    def run(self, dossiers: int) -> dict:
        self.timed("services", self.start_services)
        self.timed("schema", portal.schema)
        world = portal.catalogue()
        self.figures["full_backup_s"] = round(self.cluster.backup("full"), 2)
        self.timed("load_before_T", portal.load, world, dossiers)
        self.cluster.archive_now()
        self.figures["rpo_s"] = round(self.timed("rpo_probe", self.cluster.archive_lag), 2)
        self.figures["archive_timeout_s"] = self.cluster.archive_timeout
        target = _target_time()
        at_target = {"state": self.timed("snapshot_T", portal.portal_state), "numbering": portal.numbering()}
        time.sleep(max(0.0, (target + timedelta(seconds=1.2) - datetime.now(timezone.utc)).total_seconds()))
        after = self.timed("load_after_T", portal.load, world, max(3, dossiers // 10), start=dossiers)
        self.figures.update(self.cluster.size())
        self.damage(at_target["state"])
        self.cluster.archive_now()  # what archive_timeout does within a minute; the drill does not wait for it
        self.restore(target)
        from drill_checks import run_checks

        self.checks = run_checks(self, world=world, at_target=at_target, after=after)
        return {"target": target.isoformat(), "figures": self.figures, "checks": self.checks,
                "passed": all(check["passed"] for check in self.checks.values())}

    def damage(self, state: dict) -> None:
        """An operator's wrong script: a table dropped, every third dossier deleted (foreign keys bypassed),
        every fourth file overwritten and every ninth deleted in the bucket."""
        with self.cluster.connect() as connection:
            connection.execute("DROP TABLE dossiers_dossierfile CASCADE")
            connection.execute("SET session_replication_role = replica")
            deleted = connection.execute("DELETE FROM dossiers_dossier WHERE id % 3 = 0").rowcount
        keys = sorted(portal.storage_keys(state))
        for number, key in enumerate(keys):
            if number % 4 == 0:
                self.s3_client.put_object(Bucket=self.bucket, Key=key, Body=b"overwritten by mistake")
            elif number % 9 == 0:
                self.s3_client.delete_object(Bucket=self.bucket, Key=key)
        self.figures["damage"] = {"dropped_table": "dossiers_dossierfile", "dossiers_deleted": deleted,
                                  "files_overwritten": len(keys[::4]),
                                  "files_deleted": sum(1 for n in range(len(keys)) if n % 4 and n % 9 == 0)}

    def restore(self, target: datetime) -> None:
        """The runbook's restore, timed from its first step to the portal answering /healthz (the RTO)."""
        started = time.monotonic()
        marks = self.work / "numbering-marks.json"
        marks.write_text(self.timed("rto_1_numbering_export", self.manage, "numbering_export"))
        portal.close_connections()
        self.timed("rto_2_stop_damaged", self.cluster.stop, "immediate")
        self.timed("rto_3_pgbackrest_restore", self.cluster.restore, target.strftime("%Y-%m-%d %H:%M:%S+00"))
        self.figures["s3_restore"] = self.timed("rto_4_s3_restore", bucket_restore_to, self.s3_client, self.bucket,
                                                target)
        self.figures["numbering_restored"] = portal.numbering()
        self.figures["numbering_raise"] = self.timed("rto_5_numbering_raise", self.manage, "numbering_raise",
                                                     str(marks)).strip()
        self.figures["marks"] = json.loads(marks.read_text())
        portal.close_connections()
        self.timed("rto_6_portal_healthz", self.start_portal)
        self.figures["rto_s"] = round(time.monotonic() - started, 2)
