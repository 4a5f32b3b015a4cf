"""What a deletion leaves on disk, and making SQLite leave nothing.

SQLite runs with ``secure_delete=ON`` (storage.db): freed pages are overwritten with zeros in the
database file. But the WAL keeps the old page images until a checkpoint, and recycles its file
without clearing it, so after every deletion the WAL is checkpointed and truncated to zero bytes
(``wal_checkpoint(TRUNCATE)``). If another connection is reading at that moment the checkpoint
cannot finish; it is retried briefly, and the next deletion or purge tries again.

PostgreSQL is different and is documented, not solved, here (README "Deleting data", privacy page):
a deleted row stays in the table's data file until VACUUM reuses the space, and its old images stay
in the WAL until the WAL segment is recycled (minutes to hours, longer with archiving or replicas),
and in every backup taken before the deletion until that backup expires.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import Engine

log = logging.getLogger(__name__)
TRIES = 5


def truncate_wal(engine: Engine) -> bool:
    """Checkpoint the SQLite WAL into the database and truncate it to zero bytes; True if done."""
    if engine.dialect.name != "sqlite":
        return True
    for attempt in range(TRIES):
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()  # outside any transaction: pysqlite runs with isolation_level=None
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            row = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        if row is not None and not row[0]:  # (busy, WAL frames, frames checkpointed)
            return True
        time.sleep(0.05 * (attempt + 1))
    log.warning("WAL not truncated after a deletion (readers busy); the next deletion or purge retries")
    return False
