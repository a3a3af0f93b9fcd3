"""Resumable uploads (tus, /tai-len/): where the parts live, how big a part may be, how long an upload stays open."""

from .base import env

# Parts of uploads in progress live where every web node reads them: the default storage (the bucket in
# production) when empty, else this folder, which must then be shared by the nodes (NFS), never a local temp dir.
TUS_CHUNK_DIR = env.str("TUS_CHUNK_DIR", default="")
# The largest body one PATCH may carry; it is read 64 KB at a time, whatever its size.
TUS_CHUNK_MAX_BYTES = env.int("TUS_CHUNK_MAX_BYTES", default=8 * 1024 * 1024)
# An upload not finished this long after it was created expires (Upload-Expires) and its parts are deleted by the
# beat's tus-uploads-expire (tasks.py).
TUS_EXPIRE_HOURS = env.int("TUS_EXPIRE_HOURS", default=24)
# Uploads one account may have open (created, not finished, not expired) at once.
TUS_MAX_OPEN_PER_USER = env.int("TUS_MAX_OPEN_PER_USER", default=20)
