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


def main(argv: list[str] | None = None) -> int:
    """`python ops/drill_s3.py --bucket B --target "YYYY-MM-DD HH:MM:SS+00:00"`: the runbook's bucket step.

    The endpoint and keys come from the portal's variables (AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).
    """
    import argparse
    import os

    import boto3

    parser = argparse.ArgumentParser(description="Put every key of a versioned bucket back as it was at a time.")
    parser.add_argument("--bucket", default=os.environ.get("AWS_STORAGE_BUCKET_NAME"), required=False)
    parser.add_argument("--target", required=True, help='e.g. "2026-12-07 13:30:00+07:00" (with its offset)')
    args = parser.parse_args(argv)
    target = datetime.fromisoformat(args.target)
    if target.tzinfo is None:
        parser.error("--target needs its UTC offset (+00:00, +07:00)")
    client = boto3.client("s3", endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                          region_name=os.environ.get("AWS_S3_REGION_NAME", "us-east-1"))
    print(bucket_restore_to(client, args.bucket, target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
