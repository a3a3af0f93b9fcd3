"""The object storage side of the drill: a versioned bucket, and its restore to a time from the versions kept.

With versioning on, an overwrite or a delete only adds a version (or a delete marker); the bytes of time T are
still there. Restoring "to T" puts back, for each key, the last version written at or before T, and deletes the
keys first written after T. The same steps serve a real bucket (MinIO, S3): docs/operations.md.
"""

from __future__ import annotations

from datetime import datetime


def bucket_create_versioned(client, bucket: str) -> None:
    client.create_bucket(Bucket=bucket)
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


def _history(client, bucket: str) -> dict[str, list[dict]]:
    """Every key's versions and delete markers, newest first."""
    history: dict[str, list[dict]] = {}
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for entry in page.get("Versions", []):
            history.setdefault(entry["Key"], []).append({**entry, "deleted": False})
        for entry in page.get("DeleteMarkers", []):
            history.setdefault(entry["Key"], []).append({**entry, "deleted": True})
    for versions in history.values():
        versions.sort(key=lambda v: (v["LastModified"], v["IsLatest"]), reverse=True)
    return history


def bucket_restore_to(client, bucket: str, target: datetime) -> dict[str, int]:
    """Make every key of the bucket read as it did at `target`; return how many keys were put back or deleted."""
    counts = {"kept": 0, "put_back": 0, "deleted": 0}
    for key, versions in _history(client, bucket).items():
        at_target = next((v for v in versions if v["LastModified"] <= target), None)
        latest = versions[0]
        if at_target is None or at_target["deleted"]:
            if not latest["deleted"]:
                client.delete_object(Bucket=bucket, Key=key)  # a delete marker: the later bytes stay, unseen
                counts["deleted"] += 1
            else:
                counts["kept"] += 1
        elif at_target is latest:
            counts["kept"] += 1
        else:
            client.copy_object(Bucket=bucket, Key=key,
                               CopySource={"Bucket": bucket, "Key": key, "VersionId": at_target["VersionId"]})
            counts["put_back"] += 1
    return counts
